import FoundationEssentials
import TasterSupport

/// The signing time in SigV4's two spellings: `20130524T000000Z` (`x-amz-date`) and `20130524`
/// (the credential scope's date). Injected into the signer, so signatures are reproducible.
package struct SigV4Timestamp: Sendable, Equatable, CustomStringConvertible {
    /// `YYYYMMDD'T'HHMMSS'Z'`, UTC.
    package let amzDate: String

    package init(_ date: Date) {
        let utc = Timestamp.utc(date)
        let pad = TextFormatting.padded
        amzDate = pad(utc.year, 4) + pad(utc.month, 2) + pad(utc.day, 2) + "T" + pad(utc.hour, 2) + pad(utc.minute, 2) + pad(utc.second, 2) + "Z"
    }

    /// Parses `20150830T123600Z`; nil when malformed.
    package init?(amzDate: String) {
        let bytes = Array(amzDate.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
            bytes[0..<8].allSatisfy({ (48...57).contains($0) }), bytes[9..<15].allSatisfy({ (48...57).contains($0) })
        else { return nil }
        self.amzDate = amzDate
    }

    /// `YYYYMMDD`.
    package var dateStamp: String { String(amzDate.prefix(8)) }

    package var description: String { amzDate }
}
