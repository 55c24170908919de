import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// UTC timestamps in RFC 3339 with milliseconds (`2026-11-21T10:00:00.123Z`), for logs and reports.
package enum Timestamp {
    package struct UTC: Sendable, Equatable {
        package var year, month, day, hour, minute, second, millisecond: Int
    }

    /// The calendar parts of `date` in UTC.
    package static func utc(_ date: Date) -> UTC {
        // Rounded to the nearest millisecond: a time read back from its own text is a binary
        // fraction a hair below the millisecond written, which truncation would print one lower.
        let total = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(total >= 0 ? total / 1000 : (total - 999) / 1000)
        let milliseconds = Int(total - Int64(seconds) * 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return UTC(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            hour: Int(parts.tm_hour), minute: Int(parts.tm_min), second: Int(parts.tm_sec), millisecond: milliseconds)
    }

    package static func rfc3339(_ date: Date = Date()) -> String {
        let utc = utc(date)
        let pad = TextFormatting.padded
        return
            "\(pad(utc.year, 4))-\(pad(utc.month, 2))-\(pad(utc.day, 2))T\(pad(utc.hour, 2)):\(pad(utc.minute, 2)):\(pad(utc.second, 2)).\(pad(utc.millisecond, 3))Z"
    }

    /// Parses RFC 3339 timestamps with or without fractional seconds (as Kubernetes and our
    /// reports write them). Returns nil when malformed.
    package static func parse(_ text: String) -> Date? {
        let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        if let date = try? withFraction.parse(text) { return date }
        return try? Date.ISO8601FormatStyle().parse(text)
    }
}
