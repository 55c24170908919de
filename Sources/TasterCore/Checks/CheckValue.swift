/// A measured value, kept exact: 64-bit integers as integers, Decimal128 as its decimal string,
/// digests as hex. Doubles only where MongoDB itself returns a double.
///
/// JSON: `{"int64": "9007199254740993"}`, `{"double": 1.5}`, `{"decimal": "1.10"}`,
/// `{"digest": "ab12..."}` — integers are written as strings so no JSON reader rounds them.
package enum CheckValue: Sendable, Equatable, Hashable {
    case int64(Int64)
    case double(Double)
    /// A BSON Decimal128, as MongoDB prints it (`bson_decimal128_to_string`).
    case decimal(String)
    /// A fingerprint (hex).
    case digest(String)
    /// A non-numeric value from min/max of a field (a string, a date, an ObjectId), as canonical
    /// extended JSON.
    case text(String)
}

extension CheckValue: Codable {
    private enum Key: String, CodingKey { case int64, double, decimal, digest, text }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(
                .init(
                    codingPath: decoder.codingPath,
                    debugDescription: "a value must have exactly one of int64, double, decimal, digest, text"))
        }
        switch key {
        case .int64:
            let text = try container.decode(String.self, forKey: .int64)
            guard let value = Int64(text) else {
                throw DecodingError.dataCorruptedError(forKey: .int64, in: container, debugDescription: "\"\(text)\" is not a 64-bit integer")
            }
            self = .int64(value)
        case .double: self = .double(try container.decode(Double.self, forKey: .double))
        case .decimal: self = .decimal(try container.decode(String.self, forKey: .decimal))
        case .digest: self = .digest(try container.decode(String.self, forKey: .digest))
        case .text: self = .text(try container.decode(String.self, forKey: .text))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .int64(let value): try container.encode(String(value), forKey: .int64)
        case .double(let value): try container.encode(value, forKey: .double)
        case .decimal(let value): try container.encode(value, forKey: .decimal)
        case .digest(let value): try container.encode(value, forKey: .digest)
        case .text(let value): try container.encode(value, forKey: .text)
        }
    }
}

extension CheckValue: CustomStringConvertible {
    /// For tables: the number or digest as a person reads it.
    package var description: String {
        switch self {
        case .int64(let value): String(value)
        case .double(let value): value.description
        case .decimal(let value): value
        case .digest(let value): String(value.prefix(12))
        case .text(let value): value
        }
    }
}
