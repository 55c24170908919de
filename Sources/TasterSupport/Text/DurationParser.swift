/// Parses durations in the Go/Kubernetes spelling users already write in manifests:
/// `90s`, `2m`, `1h30m`, `500ms`. A bare number is refused (seconds or minutes would be a guess).
package enum DurationParser {
    /// Returns nil when `text` is not a valid, positive-or-zero duration.
    package static func parse(_ text: String) -> Duration? {
        let units: [(String, Int64)] = [("ms", 1), ("h", 3_600_000), ("m", 60_000), ("s", 1000)]
        var rest = Substring(text.trimmingSpaces())
        guard !rest.isEmpty else { return nil }
        var totalMilliseconds: Int64 = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !digits.isEmpty, let number = Double(digits), number.isFinite else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let (unit, scale) = units.first(where: { rest.hasPrefix($0.0) }) else { return nil }
            rest = rest.dropFirst(unit.count)
            let milliseconds = number * Double(scale)
            guard milliseconds < 1e15 else { return nil }
            totalMilliseconds += Int64(milliseconds.rounded())
        }
        return .milliseconds(totalMilliseconds)
    }

    /// Formats a duration the way `parse` reads it back, e.g. `15m`, `1h30m`, `2.5s`.
    package static func format(_ duration: Duration) -> String {
        let totalMilliseconds = duration.milliseconds
        if totalMilliseconds == 0 { return "0s" }
        if totalMilliseconds % 1000 != 0 {
            if totalMilliseconds < 1000 { return "\(totalMilliseconds)ms" }
            return "\(Double(totalMilliseconds) / 1000)s"
        }
        var seconds = totalMilliseconds / 1000
        var out = ""
        if seconds >= 3600 { out += "\(seconds / 3600)h"; seconds %= 3600 }
        if seconds >= 60 { out += "\(seconds / 60)m"; seconds %= 60 }
        if seconds > 0 { out += "\(seconds)s" }
        return out
    }
}

extension Duration {
    /// Whole milliseconds, truncated.
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a Double, for logs and reports.
    package var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
