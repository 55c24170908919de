/// YAML 1.2's core schema for plain scalars: only `true`/`false` are booleans (`no` and `on` stay
/// strings), `~`/`null`/empty is null, decimal integers and floats are numbers, everything else is
/// a string. Quoted scalars are always strings.
package enum YAMLCoreSchema {
    package enum Value: Sendable, Equatable {
        case null
        case bool(Bool)
        /// A decimal integer as written (the caller decides the width).
        case int(String)
        case float(Double)
        case string(String)
    }

    package static func resolve(_ scalar: YAMLNode.Scalar) -> Value {
        let text = scalar.value
        guard scalar.isPlain else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .float(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .float(-.infinity)
        case ".nan", ".NaN", ".NAN": return .float(.nan)
        default: break
        }
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        if !unsigned.isEmpty && unsigned.allSatisfy({ $0.isASCII && $0.isNumber }) { return .int(text) }
        if isFloat(unsigned), let value = Double(text) { return .float(value) }
        return .string(text)
    }

    /// `1.5`, `.5`, `5.`, `1e10`, `1.5E-3` (sign already removed).
    static func isFloat(_ text: Substring) -> Bool {
        var mantissa = text
        var exponent: Substring?
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = text[text.index(after: e)...]
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), parts.count == 2 || exponent != nil else { return false }
        if var exponent {
            if exponent.hasPrefix("-") || exponent.hasPrefix("+") { exponent = exponent.dropFirst() }
            guard !exponent.isEmpty, exponent.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
        }
        return true
    }

    /// The whole tree as plain Swift values (`[String: Any]`, `[Any]`, `String`, `Bool`, `Int`,
    /// `Double`); null values are left out of mappings and become `YAMLNull` in sequences.
    package static func plainValue(_ node: YAMLNode) -> Any {
        switch node {
        case .scalar(let scalar):
            switch resolve(scalar) {
            case .null: return YAMLNull()
            case .bool(let value): return value
            case .int(let text): return Int(text) ?? text
            case .float(let value): return value
            case .string(let value): return value
            }
        case .sequence(let items, _):
            return items.map(plainValue)
        case .mapping(let mapping):
            var dictionary: [String: Any] = [:]
            for (key, node) in mapping {
                let value = plainValue(node)
                if value is YAMLNull { continue }
                dictionary[key.string ?? ""] = value
            }
            return dictionary
        }
    }
}

/// A YAML null inside a sequence.
package struct YAMLNull: Sendable, Equatable {}
