/// A YAML document as a tree, keeping what checks files and kubeconfigs need: mapping order,
/// whether a scalar was plain (so the caller resolves its type) or quoted, and line numbers.
package indirect enum YAMLNode: Sendable, Equatable {
    case scalar(Scalar)
    case mapping(Mapping)
    case sequence([YAMLNode], line: Int)

    package struct Scalar: Sendable, Equatable {
        package var value: String
        /// Plain (unquoted) scalars are typed by the YAML 1.2 core schema; quoted, literal and
        /// folded ones are always strings.
        package var isPlain: Bool
        /// 1-based.
        package var line: Int
    }

    package struct Pair: Sendable, Equatable {
        package var key: YAMLNode
        package var value: YAMLNode
    }

    /// A mapping, in the order it was written.
    package struct Mapping: Sendable, Equatable, RandomAccessCollection {
        package var pairs: [Pair]
        /// 1-based.
        package var line: Int

        package var startIndex: Int { pairs.startIndex }
        package var endIndex: Int { pairs.endIndex }
        package subscript(position: Int) -> (key: YAMLNode, value: YAMLNode) { (pairs[position].key, pairs[position].value) }

        package var keys: [YAMLNode] { pairs.map(\.key) }

        /// The value of the scalar key `key`.
        package subscript(key: String) -> YAMLNode? { pairs.first { $0.key.string == key }?.value }
    }

    /// 1-based line where the node starts.
    package var line: Int {
        switch self {
        case .scalar(let scalar): scalar.line
        case .mapping(let mapping): mapping.line
        case .sequence(_, let line): line
        }
    }

    /// The scalar's text (nil for collections).
    package var string: String? {
        if case .scalar(let scalar) = self { return scalar.value }
        return nil
    }

    /// The value of `key` in a mapping.
    package subscript(key: String) -> YAMLNode? {
        guard case .mapping(let mapping) = self else { return nil }
        return mapping[key]
    }
}

/// A YAML syntax error, with its line when libyaml knows it.
package struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    package let message: String
    /// 1-based.
    package let line: Int?

    package var description: String { line.map { "line \($0): \(message)" } ?? message }
}
