/// Walking the bytes of BSON values without libbson (the core imports no C module): enough to
/// order and print `_id`s of any type.
extension BSONRawValue {
    package static let double: UInt8 = 0x01
    package static let string: UInt8 = 0x02
    package static let document: UInt8 = 0x03
    package static let array: UInt8 = 0x04
    package static let binary: UInt8 = 0x05
    package static let undefined: UInt8 = 0x06
    package static let objectID: UInt8 = 0x07
    package static let bool: UInt8 = 0x08
    package static let dateTime: UInt8 = 0x09
    package static let null: UInt8 = 0x0A
    package static let regex: UInt8 = 0x0B
    package static let symbol: UInt8 = 0x0E
    package static let int32: UInt8 = 0x10
    package static let timestamp: UInt8 = 0x11
    package static let int64: UInt8 = 0x12
    package static let decimal128: UInt8 = 0x13
    package static let minKey: UInt8 = 0xFF
    package static let maxKey: UInt8 = 0x7F

    /// The length of a value of `type` starting at `offset` of `bytes`; nil when it does not fit.
    static func length(of type: UInt8, in bytes: ArraySlice<UInt8>, at offset: Int) -> Int? {
        func readInt32(at position: Int) -> Int? {
            guard position + 4 <= bytes.endIndex else { return nil }
            return Int(Int32(littleEndianBytes: bytes[position..<position + 4]))
        }
        func readCString(at position: Int) -> Int? {
            guard let end = bytes[position...].firstIndex(of: 0) else { return nil }
            return end - position + 1
        }
        let length: Int?
        switch type {
        case double, dateTime, timestamp, int64: length = 8
        case string, symbol, 0x0D: length = readInt32(at: offset).map { 4 + $0 }
        case document, array, 0x0F: length = readInt32(at: offset)
        case binary: length = readInt32(at: offset).map { 5 + $0 }
        case undefined, null, minKey, maxKey: length = 0
        case objectID: length = 12
        case bool: length = 1
        case regex:
            length = readCString(at: offset).flatMap { first in readCString(at: offset + first).map { first + $0 } }
        case 0x0C: length = readInt32(at: offset).map { 4 + $0 + 12 }
        case int32: length = 4
        case decimal128: length = 16
        default: length = nil
        }
        guard let length, length >= 0, offset + length <= bytes.endIndex else { return nil }
        return length
    }

    /// The elements of a document's bytes (length prefix included): key and value, in order; nil
    /// when the bytes are not a well-formed document.
    static func elements(ofDocument bytes: ArraySlice<UInt8>) -> [(key: ArraySlice<UInt8>, value: BSONRawValue)]? {
        guard bytes.count >= 5 else { return nil }
        var elements: [(key: ArraySlice<UInt8>, value: BSONRawValue)] = []
        var position = bytes.startIndex + 4
        while position < bytes.endIndex - 1 {
            let type = bytes[position]
            guard let keyEnd = bytes[(position + 1)...].firstIndex(of: 0) else { return nil }
            let key = bytes[(position + 1)..<keyEnd]
            guard let length = length(of: type, in: bytes, at: keyEnd + 1) else { return nil }
            elements.append((key, BSONRawValue(type: type, bytes: Array(bytes[(keyEnd + 1)..<(keyEnd + 1 + length)]))))
            position = keyEnd + 1 + length
        }
        return elements
    }
}

extension Int32 {
    init(littleEndianBytes bytes: ArraySlice<UInt8>) {
        var value: UInt32 = 0
        for (shift, byte) in zip(stride(from: 0, to: 32, by: 8), bytes) { value |= UInt32(byte) << UInt32(shift) }
        self = Int32(bitPattern: value)
    }
}

extension Int64 {
    init(littleEndianBytes bytes: ArraySlice<UInt8>) {
        var value: UInt64 = 0
        for (shift, byte) in zip(stride(from: 0, to: 64, by: 8), bytes) { value |= UInt64(byte) << UInt64(shift) }
        self = Int64(bitPattern: value)
    }
}

extension BSONRawValue {
    /// MongoDB's own limit on nested documents and arrays. An index is read as hostile input:
    /// an `_id` nested deeper cannot come from the server, and ordering or printing it recurses
    /// once per level.
    package static let maximumNesting = 100

    /// Whether documents or arrays nest deeper than `limit` levels in this value.
    package func nestsDeeper(than limit: Int = BSONRawValue.maximumNesting) -> Bool {
        guard type == Self.document || type == Self.array else { return false }
        if limit <= 0 { return true }
        guard let elements = Self.elements(ofDocument: bytes[...]) else { return false }
        return elements.contains { $0.value.nestsDeeper(than: limit - 1) }
    }
}
