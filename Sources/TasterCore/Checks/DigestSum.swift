import Crypto

/// The order-independent combination of a fingerprint: the sum, modulo 2^256, of every item's
/// SHA-256 read as a big-endian integer — a sum rather than XOR, so two identical items do not
/// cancel out. Shared by the MongoDB fingerprint (items are documents) and the PostgreSQL one
/// (items are rows).
package struct DigestSum: Sendable, Equatable {
    /// The running sum, most significant 64 bits first.
    private var sum: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    /// How many items were added.
    package private(set) var count: Int64 = 0

    package init() {}

    /// Adds one item's SHA-256.
    package mutating func add(_ digest: SHA256.Digest) {
        let words = digest.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self).bigEndian,
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self).bigEndian,
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self).bigEndian,
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self).bigEndian
            )
        }
        var carry: UInt64
        (sum.3, carry) = Self.add(sum.3, words.3, 0)
        (sum.2, carry) = Self.add(sum.2, words.2, carry)
        (sum.1, carry) = Self.add(sum.1, words.1, carry)
        (sum.0, _) = Self.add(sum.0, words.0, carry)
        count += 1
    }

    private static func add(_ a: UInt64, _ b: UInt64, _ carry: UInt64) -> (UInt64, UInt64) {
        let (partial, first) = a.addingReportingOverflow(b)
        let (total, second) = partial.addingReportingOverflow(carry)
        return (total, (first ? 1 : 0) + (second ? 1 : 0))
    }

    /// 64 lowercase hex digits.
    package var hex: String {
        [sum.0, sum.1, sum.2, sum.3].map { word in
            let digits = String(word, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }.joined()
    }

    package static func == (lhs: DigestSum, rhs: DigestSum) -> Bool { lhs.hex == rhs.hex && lhs.count == rhs.count }
}
