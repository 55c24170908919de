import TasterSupport

/// A value as canonical extended JSON (relaxed nowhere: `{"$numberInt": "5"}`), the way
/// verdicts and change lists name a document's `_id`.
///
/// - SeeAlso: https://github.com/mongodb/specifications/blob/master/source/extended-json/extended-json.md
extension BSONRawValue {
    package var canonicalJSON: String {
        Self.canonicalJSON(type, bytes[...])
    }

    static func canonicalJSON(_ type: UInt8, _ bytes: ArraySlice<UInt8>) -> String {
        func quoted(_ text: ArraySlice<UInt8>) -> String { ExtendedJSONText.quote(String(decoding: text, as: UTF8.self)) }
        func hex(_ bytes: ArraySlice<UInt8>) -> String { TextFormatting.hex(bytes) }
        switch type {
        case double:
            let value = Double(bitPattern: UInt64(bitPattern: Int64(littleEndianBytes: bytes)))
            let text =
                value.isNaN
                ? "NaN"
                : value.isInfinite
                    ? (value < 0 ? "-Infinity" : "Infinity")
                    : value == value.rounded() && abs(value) < 1e15 ? String(format1: value) : "\(value)"
            return "{\"$numberDouble\":\"\(text)\"}"
        case string:
            return quoted(bytes.dropFirst(4).dropLast())
        case symbol:
            return "{\"$symbol\":\(quoted(bytes.dropFirst(4).dropLast()))}"
        case document, array:
            guard let elements = elements(ofDocument: bytes) else { return "null" }
            if type == array {
                return "[" + elements.map { canonicalJSON($0.value.type, $0.value.bytes[...]) }.joined(separator: ",") + "]"
            }
            return "{" + elements.map { quoted($0.key) + ":" + canonicalJSON($0.value.type, $0.value.bytes[...]) }.joined(separator: ",") + "}"
        case binary:
            let subtype = bytes.dropFirst(4).first ?? 0
            return "{\"$binary\":{\"base64\":\"\(Base64.encode(bytes.dropFirst(5)))\",\"subType\":\"\(hex([subtype][...]))\"}}"
        case undefined:
            return "{\"$undefined\":true}"
        case objectID:
            return "{\"$oid\":\"\(hex(bytes))\"}"
        case bool:
            return bytes.first == 1 ? "true" : "false"
        case dateTime:
            return "{\"$date\":{\"$numberLong\":\"\(Int64(littleEndianBytes: bytes))\"}}"
        case null:
            return "null"
        case int32:
            return "{\"$numberInt\":\"\(Int32(littleEndianBytes: bytes))\"}"
        case timestamp:
            let value = UInt64(bitPattern: Int64(littleEndianBytes: bytes))
            return "{\"$timestamp\":{\"t\":\(value >> 32),\"i\":\(value & 0xFFFF_FFFF)}}"
        case int64:
            return "{\"$numberLong\":\"\(Int64(littleEndianBytes: bytes))\"}"
        case decimal128:
            return "{\"$numberDecimal\":\"\(Decimal128Text.string(bytes))\"}"
        case minKey:
            return "{\"$minKey\":1}"
        case maxKey:
            return "{\"$maxKey\":1}"
        default:
            return "{\"$bsonType\":\"\(hex([type][...]))\",\"$bytes\":\"\(Base64.encode(bytes))\"}"
        }
    }
}

extension String {
    /// `5.0` for a whole double, as extended JSON writes it.
    fileprivate init(format1 value: Double) {
        self = "\(Int64(value)).0"
        if value == 0 && value.sign == .minus { self = "-0.0" }
    }
}

/// Base64 without Foundation's encoder (the core stays on FoundationEssentials).
enum Base64 {
    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode(_ bytes: some Collection<UInt8>) -> String {
        let bytes = Array(bytes)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << UInt32(16 - 8 * $1.offset) }
            for position in 0..<4 {
                if position <= chunk.count {
                    out.append(alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// The string form of a BSON Decimal128 (IEEE 754-2008 BID), as the extended JSON specification
/// writes it.
enum Decimal128Text {
    static func string(_ bytes: ArraySlice<UInt8>) -> String {
        guard bytes.count == 16 else { return "NaN" }
        let low = UInt64(bitPattern: Int64(littleEndianBytes: bytes.prefix(8)))
        let high = UInt64(bitPattern: Int64(littleEndianBytes: bytes.dropFirst(8)))
        let negative = high >> 63 == 1
        let combination = (high >> 58) & 0x1F
        if combination == 0x1F { return "NaN" }
        if combination == 0x1E { return (negative ? "-" : "") + "Infinity" }
        var exponent: Int
        var coefficient: UInt128
        if (high >> 61) & 0x3 == 0x3 {
            // The coefficient would exceed 34 digits: non-canonical, read as zero.
            exponent = Int((high >> 47) & 0x3FFF) - 6176
            coefficient = 0
        } else {
            exponent = Int((high >> 49) & 0x3FFF) - 6176
            coefficient = UInt128(high & 0x1_FFFF_FFFF_FFFF) << 64 | UInt128(low)
            if coefficient > UInt128("9999999999999999999999999999999999")! { coefficient = 0 }
        }
        return plain(negative: negative, coefficient: coefficient, exponent: exponent)
    }

    /// The text of sign × coefficient × 10^exponent, as the specification writes it.
    static func plain(negative: Bool, coefficient: UInt128, exponent: Int) -> String {
        let sign = negative ? "-" : ""
        let digits = String(coefficient)
        let adjusted = exponent + digits.count - 1
        if exponent <= 0 && adjusted >= -6 {
            if exponent == 0 { return sign + digits }
            let places = -exponent
            let padded = String(repeating: "0", count: max(0, places - digits.count + 1)) + digits
            let cut = padded.index(padded.endIndex, offsetBy: -places)
            return sign + padded[..<cut] + "." + padded[cut...]
        }
        var text = String(digits.prefix(1))
        if digits.count > 1 { text += "." + digits.dropFirst() }
        return sign + text + "E" + (adjusted >= 0 ? "+" : "") + String(adjusted)
    }
}
