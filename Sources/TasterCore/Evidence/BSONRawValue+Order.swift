/// MongoDB's order of values (the order of an `_id` index with the simple collation): first by
/// type class (MinKey, null, numbers, strings, documents, arrays, binary, ObjectId, booleans,
/// dates, timestamps, regular expressions, MaxKey), numbers by value across int32, int64, double
/// and Decimal128 (exactly between integers and decimals; a decimal against a double through the
/// nearest double, so two that round to the same double are equal and such an index is refused
/// as out of order rather than half-compared), strings by bytes, binary by length then subtype then bytes, documents element by
/// element (type class, key, value), the shorter first.
///
/// - SeeAlso: https://www.mongodb.com/docs/manual/reference/bson-type-comparison-order/
extension BSONRawValue {
    /// The class a type sorts in.
    static func typeClass(_ type: UInt8) -> Int {
        switch type {
        case minKey: 0
        case null, undefined: 1
        case double, int32, int64, decimal128: 2
        case string, symbol: 3
        case document: 4
        case array: 5
        case binary: 6
        case objectID: 7
        case bool: 8
        case dateTime: 9
        case timestamp: 10
        case regex: 11
        case maxKey: 13
        default: 12
        }
    }

    /// Negative, zero or positive as `self` sorts before, with or after `other`.
    package func order(_ other: BSONRawValue) -> Int {
        Self.order(type, bytes[...], other.type, other.bytes[...])
    }

    static func order(_ leftType: UInt8, _ left: ArraySlice<UInt8>, _ rightType: UInt8, _ right: ArraySlice<UInt8>) -> Int {
        let leftClass = typeClass(leftType), rightClass = typeClass(rightType)
        if leftClass != rightClass { return leftClass < rightClass ? -1 : 1 }
        switch leftClass {
        case 2:
            return orderNumbers(leftType, left, rightType, right)
        case 3:
            // Length-prefixed, NUL-terminated: compare the characters.
            return orderBytes(left.dropFirst(4).dropLast(), right.dropFirst(4).dropLast())
        case 4, 5:
            guard let first = elements(ofDocument: left), let second = elements(ofDocument: right) else {
                return orderBytes(left, right)
            }
            for (a, b) in zip(first, second) {
                let classes = typeClass(a.value.type) - typeClass(b.value.type)
                if classes != 0 { return classes < 0 ? -1 : 1 }
                let keys = orderBytes(a.key, b.key)
                if keys != 0 { return keys }
                let values = order(a.value.type, a.value.bytes[...], b.value.type, b.value.bytes[...])
                if values != 0 { return values }
            }
            return first.count == second.count ? 0 : (first.count < second.count ? -1 : 1)
        case 6:
            // Length, then subtype, then the bytes: the stored order of the bytes is exactly that
            // once the little-endian length is compared as a number.
            let leftLength = Int32(littleEndianBytes: left.prefix(4)), rightLength = Int32(littleEndianBytes: right.prefix(4))
            if leftLength != rightLength { return leftLength < rightLength ? -1 : 1 }
            return orderBytes(left.dropFirst(4), right.dropFirst(4))
        case 9:
            let a = Int64(littleEndianBytes: left), b = Int64(littleEndianBytes: right)
            return a == b ? 0 : (a < b ? -1 : 1)
        case 10:
            // Timestamps: seconds (high 32 bits), then the increment, both unsigned.
            let a = UInt64(bitPattern: Int64(littleEndianBytes: left)), b = UInt64(bitPattern: Int64(littleEndianBytes: right))
            return a == b ? 0 : (a < b ? -1 : 1)
        default:
            return orderBytes(left, right)
        }
    }

    static func orderBytes(_ left: ArraySlice<UInt8>, _ right: ArraySlice<UInt8>) -> Int {
        for (a, b) in zip(left, right) where a != b { return a < b ? -1 : 1 }
        return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
    }

    static func orderNumbers(_ leftType: UInt8, _ left: ArraySlice<UInt8>, _ rightType: UInt8, _ right: ArraySlice<UInt8>) -> Int {
        enum Number {
            case integer(Int64)
            case real(Double)
            case decimal(Decimal128Value)
        }
        func number(_ type: UInt8, _ bytes: ArraySlice<UInt8>) -> Number {
            switch type {
            case int32: return .integer(Int64(Int32(littleEndianBytes: bytes)))
            case int64: return .integer(Int64(littleEndianBytes: bytes))
            case double: return .real(Double(bitPattern: UInt64(bitPattern: Int64(littleEndianBytes: bytes))))
            case decimal128: return .decimal(Decimal128Value(bytes))
            default: return .real(.nan)
            }
        }
        switch (number(leftType, left), number(rightType, right)) {
        case (.integer(let a), .integer(let b)):
            return a == b ? 0 : (a < b ? -1 : 1)
        case (.real(let a), .real(let b)):
            return compare(a, b)
        case (.integer(let a), .real(let b)):
            return -compare(b, a)
        case (.real(let a), .integer(let b)):
            return compare(a, b)
        case (.decimal(let a), .decimal(let b)):
            return a.order(b)
        case (.decimal(let a), .integer(let b)):
            return a.order(Decimal128Value(b))
        case (.integer(let a), .decimal(let b)):
            return Decimal128Value(a).order(b)
        case (.decimal(let a), .real(let b)):
            return compare(a.approximation, b)
        case (.real(let a), .decimal(let b)):
            return compare(a, b.approximation)
        }
    }

    /// MongoDB sorts NaN below every number.
    static func compare(_ a: Double, _ b: Double) -> Int {
        if a.isNaN || b.isNaN { return a.isNaN == b.isNaN ? 0 : (a.isNaN ? -1 : 1) }
        return a == b ? 0 : (a < b ? -1 : 1)
    }

    static func compare(_ a: Double, _ b: Int64) -> Int {
        if a.isNaN { return -1 }
        // Beyond ±2^63 a double is outside every int64; inside, compare exactly through the
        // integer part and then the fraction.
        if a >= 9_223_372_036_854_775_808.0 { return 1 }
        if a < -9_223_372_036_854_775_808.0 { return -1 }
        let whole = Int64(a.rounded(.down))
        if whole != b { return whole < b ? -1 : 1 }
        return a > Double(whole) ? 1 : 0
    }
}
