import Foundation

/// The signing time in SigV4's two spellings: `20130524T000000Z` (`x-amz-date`) and `20130524`
/// (the credential scope's date). Injected into the signer, so signatures are reproducible.
public struct SigV4Timestamp: Sendable, Equatable, CustomStringConvertible {
    /// `YYYYMMDD'T'HHMMSS'Z'`, UTC.
    public let amzDate: String

    public init(_ date: Date) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        amzDate = String(format: "%04d%02d%02dT%02d%02d%02dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                         Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
    }

    /// Parses `20150830T123600Z`; nil when malformed.
    public init?(amzDate: String) {
        let bytes = Array(amzDate.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z"),
              bytes[0..<8].allSatisfy({ (48...57).contains($0) }), bytes[9..<15].allSatisfy({ (48...57).contains($0) })
        else { return nil }
        self.amzDate = amzDate
    }

    /// `YYYYMMDD`.
    public var dateStamp: String { String(amzDate.prefix(8)) }

    public var description: String { amzDate }
}
