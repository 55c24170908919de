/// Parses durations in the Go/Kubernetes spelling users already write in manifests:
/// `90s`, `2m`, `1h30m`, `500ms`. A bare number is refused (seconds or minutes would be a guess).
public enum DurationParser {
    /// Returns nil when `text` is not a valid, positive-or-zero duration.
    public static func parse(_ text: String) -> Duration? {
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
    public static func format(_ duration: Duration) -> String {
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
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// Seconds as a Double, for logs and reports.
    public var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

extension String {
    /// Trims ASCII spaces, tabs and newlines at both ends without Foundation.
    func trimmingSpaces() -> String {
        // "\r\n" is one Character in Swift: compare it too.
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let first = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
