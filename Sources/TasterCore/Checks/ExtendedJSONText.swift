import TasterSupport

/// Turns YAML nodes of a checks file into extended JSON text that libbson parses, keeping key
/// order (it matters in pipelines and sort stages) and the numbers' types: a plain `5` is an
/// integer, `5.0` a double, `"5"` a string; `{$date: ...}`, `{$numberDecimal: ...}` and the other
/// extended JSON forms pass through.
package enum ExtendedJSONText {
    /// A YAML node that has no JSON form, with where it is.
    struct Problem: Error {
        let message: String
        let line: Int?
    }

    static func json(_ node: YAMLNode) throws(Problem) -> String {
        switch node {
        case .scalar(let scalar):
            return try json(scalar)
        case .mapping(let mapping):
            var parts: [String] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Problem(message: "a mapping key must be a plain name", line: key.line)
                }
                parts.append(quote(keyScalar.value) + ": " + (try json(value)))
            }
            return "{" + parts.joined(separator: ", ") + "}"
        case .sequence(let sequence, _):
            var parts: [String] = []
            for element in sequence { parts.append(try json(element)) }
            return "[" + parts.joined(separator: ", ") + "]"
        }
    }

    /// A scalar by YAML 1.2's core schema: only `true`/`false` are booleans (`no`, `on` stay
    /// strings), no octal, hexadecimal or sexagesimal numbers, and dates stay strings (write
    /// `{$date: "..."}`). Quoted scalars are strings.
    private static func json(_ scalar: YAMLNode.Scalar) throws(Problem) -> String {
        switch YAMLCoreSchema.resolve(scalar) {
        case .null:
            return "null"
        case .bool(let value):
            return value ? "true" : "false"
        case .int(let text):
            guard let value = Int64(text) else {
                throw Problem(message: "the integer \(text) does not fit in 64 bits; write {$numberDecimal: \"\(text)\"}", line: scalar.line)
            }
            return String(value)
        case .float(let value):
            if value.isNaN { return #"{"$numberDouble": "NaN"}"# }
            if value.isInfinite { return value > 0 ? #"{"$numberDouble": "Infinity"}"# : #"{"$numberDouble": "-Infinity"}"# }
            let printed = String(value)
            // Keep it a double for libbson: `1e+20` and `1.5` are, a bare `5` would not be.
            return printed.contains(".") || printed.contains("e") ? printed : printed + ".0"
        case .string(let text):
            return quote(text)
        }
    }

    /// A JSON string literal.
    package static func quote(_ text: String) -> String { JSONText.quote(text) }
}
