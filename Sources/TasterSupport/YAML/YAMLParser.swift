import TasterCYAML

/// Parses YAML (and JSON, which is YAML) with libyaml's document loader. The parser and the
/// document are owned by one call and freed before it returns; no libyaml pointer escapes.
package enum YAMLParser {
    /// The document of `text`, or nil when `text` holds none. A second document, a mapping with
    /// the same key twice, or a syntax error are errors naming the line.
    package static func compose(_ text: String) throws(YAMLError) -> YAMLNode? {
        let documents = try composeAll(text)
        if documents.count > 1 {
            throw YAMLError(message: "holds more than one YAML document (a second `---`); keep one", line: documents[1].line - 1)
        }
        return documents.first
    }

    /// Every document of a stream (`---`-separated), skipping empty ones.
    package static func composeAll(_ text: String) throws(YAMLError) -> [YAMLNode] {
        let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
        let document = UnsafeMutablePointer<yaml_document_t>.allocate(capacity: 1)
        defer {
            parser.deallocate()
            document.deallocate()
        }
        guard yaml_parser_initialize(parser) == 1 else { throw YAMLError(message: "libyaml could not start (out of memory)", line: nil) }
        defer { yaml_parser_delete(parser) }
        var bytes = Array(text.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(YAMLError) -> [YAMLNode] in
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)
            var documents: [YAMLNode] = []
            while true {
                guard yaml_parser_load(parser, document) == 1 else { throw error(parser, text: text) }
                defer { yaml_document_delete(document) }
                // libyaml: a document without a root node means the stream has ended.
                guard let root = yaml_document_get_root_node(document) else { return documents }
                documents.append(try convert(root, document: document, depth: 0))
            }
        }
    }

    static func error(_ parser: UnsafeMutablePointer<yaml_parser_t>, text: String) -> YAMLError {
        let problem = parser.pointee.problem.map { String(cString: $0) } ?? "unknown problem"
        let context = parser.pointee.context.map { String(cString: $0) }
        var message = context.map { "\(problem) \($0)" } ?? problem
        let line = Int(parser.pointee.problem_mark.line) + 1
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if line <= lines.count, lines[line - 1].contains("\t") {
            message += " (YAML does not allow tabs for indentation; use spaces)"
        }
        return YAMLError(message: message, line: line)
    }

    static func convert(_ node: UnsafeMutablePointer<yaml_node_t>, document: UnsafeMutablePointer<yaml_document_t>, depth: Int) throws(YAMLError) -> YAMLNode {
        let line = Int(node.pointee.start_mark.line) + 1
        // Aliases make the document a graph; a cycle or a billion-laughs expansion stops here.
        guard depth < 200 else { throw YAMLError(message: "is nested too deeply (or an alias refers to itself)", line: line) }
        switch node.pointee.type {
        case YAML_SCALAR_NODE:
            let scalar = node.pointee.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
            return .scalar(.init(value: value, isPlain: scalar.style == YAML_PLAIN_SCALAR_STYLE, line: line))
        case YAML_SEQUENCE_NODE:
            var items: [YAMLNode] = []
            var item = node.pointee.data.sequence.items.start
            while let current = item, current < node.pointee.data.sequence.items.top {
                guard let child = yaml_document_get_node(document, current.pointee) else { break }
                items.append(try convert(child, document: document, depth: depth + 1))
                item = current + 1
            }
            return .sequence(items, line: line)
        case YAML_MAPPING_NODE:
            var pairs: [YAMLNode.Pair] = []
            var seen = Set<String>()
            var pair = node.pointee.data.mapping.pairs.start
            while let current = pair, current < node.pointee.data.mapping.pairs.top {
                guard let key = yaml_document_get_node(document, current.pointee.key),
                    let value = yaml_document_get_node(document, current.pointee.value)
                else { break }
                let keyNode = try convert(key, document: document, depth: depth + 1)
                if let name = keyNode.string, !seen.insert(name).inserted {
                    throw YAMLError(message: "the key `\(name)` appears twice in one mapping", line: keyNode.line)
                }
                pairs.append(.init(key: keyNode, value: try convert(value, document: document, depth: depth + 1)))
                pair = current + 1
            }
            return .mapping(.init(pairs: pairs, line: line))
        default:
            return .scalar(.init(value: "", isPlain: true, line: line))
        }
    }
}
