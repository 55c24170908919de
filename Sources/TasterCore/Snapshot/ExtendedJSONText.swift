import Yams

/// Turns YAML nodes of a checks file into extended JSON text that libbson parses, keeping key
/// order (it matters in pipelines and sort stages) and the numbers' types: a plain `5` is an
/// integer, `5.0` a double, `"5"` a string; `{$date: ...}`, `{$numberDecimal: ...}` and the other
/// extended JSON forms pass through.
enum ExtendedJSONText {
    /// A YAML node that has no JSON form, with where it is.
    struct Problem: Error {
        let message: String
        let line: Int?
    }

    /// YAML 1.2's core schema: only `true`/`false` are booleans (`no`, `on` stay strings), no
    /// octal, hexadecimal or sexagesimal numbers, and dates stay strings (write `{$date: "..."}`).
    static let resolver: Resolver = {
        let rules: [(Tag.Name, String)] = [
            (.bool, "^(?:true|True|TRUE|false|False|FALSE)$"),
            (.int, "^[-+]?[0-9]+$"),
            (.float, "^(?:[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$"),
            (.null, "^(?:~|null|Null|NULL|)$"),
        ]
        var resolver = Resolver.basic
        for (tag, pattern) in rules {
            // The patterns are constants; a failure here is a programming error caught by the tests.
            if let extended = try? resolver.appending(tag, pattern) { resolver = extended }
        }
        return resolver
    }()

    static func json(_ node: Node) throws(Problem) -> String {
        switch node {
        case .scalar(let scalar):
            // `Node.tag` is the tag resolved with the resolver the file was composed with.
            return try json(scalar, tag: Tag.Name(rawValue: node.tag.rawValue))
        case .mapping(let mapping):
            var parts: [String] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Problem(message: "a mapping key must be a plain name", line: key.line)
                }
                parts.append(quote(keyScalar.string) + ": " + (try json(value)))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .sequence(let sequence):
            var parts: [String] = []
            for element in sequence { parts.append(try json(element)) }
            return "[" + parts.joined(separator: ", ") + "]"
        case .alias:
            throw Problem(message: "YAML aliases are not supported in filters and pipelines", line: node.line)
        }
    }

    private static func json(_ scalar: Node.Scalar, tag: Tag.Name) throws(Problem) -> String {
        let text = scalar.string
        switch tag {
        case .null:
            return "null"
        case .bool:
            return text.lowercased()
        case .int:
            guard let value = Int64(text) else {
                throw Problem(message: "the integer \(text) does not fit in 64 bits; write {$numberDecimal: \"\(text)\"}",
                              line: scalar.mark.map { $0.line })
            }
            return String(value)
        case .float:
            guard let value = Double(text.replacingAll(".inf", with: "inf").replacingAll(".Inf", with: "inf")
                .replacingAll(".INF", with: "inf").replacingAll(".nan", with: "nan").replacingAll(".NaN", with: "nan")
                .replacingAll(".NAN", with: "nan")) else {
                throw Problem(message: "\(text) is not a number", line: scalar.mark.map { $0.line })
            }
            if value.isNaN { return #"{"$numberDouble": "NaN"}"# }
            if value.isInfinite { return value > 0 ? #"{"$numberDouble": "Infinity"}"# : #"{"$numberDouble": "-Infinity"}"# }
            let printed = String(value)
            // Keep it a double for libbson: `1e+20` and `1.5` are, a bare `5` would not be.
            return printed.contains(".") || printed.contains("e") ? printed : printed + ".0"
        default:
            return quote(text)
        }
    }

    /// A JSON string literal.
    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

extension Node {
    /// 1-based line of the node in its file, when known.
    var line: Int? { mark.map { $0.line } }
}
