/// A BSON Decimal128 (IEEE 754-2008, binary integer decimal) as sign, coefficient and exponent,
/// to order `_id`s by numeric value as MongoDB does: `1.0` equals `1.00` and `1`, `-0` equals `0`,
/// NaN sorts below every number.
struct Decimal128Value {
    enum Kind { case nan, finite, infinite }
    let kind: Kind
    let negative: Bool
    let coefficient: UInt128
    let exponent: Int

    init(_ bytes: ArraySlice<UInt8>) {
        guard bytes.count == 16 else {
            (kind, negative, coefficient, exponent) = (.nan, false, 0, 0)
            return
        }
        let low = UInt64(bitPattern: Int64(littleEndianBytes: bytes.prefix(8)))
        let high = UInt64(bitPattern: Int64(littleEndianBytes: bytes.dropFirst(8)))
        negative = high >> 63 == 1
        let combination = (high >> 58) & 0x1F
        if combination == 0x1F {
            (kind, coefficient, exponent) = (.nan, 0, 0)
        } else if combination == 0x1E {
            (kind, coefficient, exponent) = (.infinite, 0, 0)
        } else if (high >> 61) & 0x3 == 0x3 {
            // A coefficient of more than 34 digits: non-canonical, zero.
            (kind, coefficient, exponent) = (.finite, 0, Int((high >> 47) & 0x3FFF) - 6176)
        } else {
            let value = UInt128(high & 0x1_FFFF_FFFF_FFFF) << 64 | UInt128(low)
            kind = .finite
            coefficient = value > Self.largestCoefficient ? 0 : value
            exponent = Int((high >> 49) & 0x3FFF) - 6176
        }
    }

    init(_ integer: Int64) {
        kind = .finite
        negative = integer < 0
        coefficient = UInt128(integer.magnitude)
        exponent = 0
    }

    static let largestCoefficient = UInt128("9999999999999999999999999999999999")!

    /// The nearest double (for comparing with one).
    var approximation: Double {
        switch kind {
        case .nan: return .nan
        case .infinite: return negative ? -.infinity : .infinity
        case .finite: return Double(Decimal128Text.plain(negative: negative, coefficient: coefficient, exponent: exponent)) ?? .nan
        }
    }

    /// Negative, zero or positive as `self` is smaller than, equal to or larger than `other`.
    func order(_ other: Decimal128Value) -> Int {
        func rank(_ value: Decimal128Value) -> Int {
            switch value.kind {
            case .nan: -2
            case .infinite: value.negative ? -1 : 1
            case .finite: 0
            }
        }
        let (a, b) = (rank(self), rank(other))
        if a != 0 || b != 0 { return a == b ? 0 : (a < b ? -1 : 1) }
        let leftZero = coefficient == 0, rightZero = other.coefficient == 0
        if leftZero && rightZero { return 0 }
        let leftSign = leftZero ? 0 : (negative ? -1 : 1), rightSign = rightZero ? 0 : (other.negative ? -1 : 1)
        if leftSign != rightSign { return leftSign < rightSign ? -1 : 1 }
        let magnitude = Self.orderMagnitude(self, other)
        return leftSign < 0 ? -magnitude : magnitude
    }

    /// Compares |a| and |b|, both non-zero: by the exponent of the leading digit, then the
    /// coefficients scaled to the same number of digits (at most 34, which UInt128 holds).
    static func orderMagnitude(_ a: Decimal128Value, _ b: Decimal128Value) -> Int {
        let digitsA = String(a.coefficient).count, digitsB = String(b.coefficient).count
        let leadA = a.exponent + digitsA - 1, leadB = b.exponent + digitsB - 1
        if leadA != leadB { return leadA < leadB ? -1 : 1 }
        var x = a.coefficient, y = b.coefficient
        for _ in 0..<max(0, digitsB - digitsA) { x *= 10 }
        for _ in 0..<max(0, digitsA - digitsB) { y *= 10 }
        return x == y ? 0 : (x < y ? -1 : 1)
    }
}
