import FoundationEssentials

/// RFC 9110 HTTP dates (`Sun, 06 Nov 1994 08:49:37 GMT`), as in `Retry-After`.
package enum HTTPDate {
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Parses the IMF-fixdate form; nil for anything else.
    package static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]), let year = Int(parts[3]),
            let month = months.firstIndex(of: String(parts[2]))
        else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, time.allSatisfy({ Int($0) != nil }) else { return nil }
        let iso = "\(TextFormatting.padded(year, 4))-\(TextFormatting.padded(month + 1, 2))-\(TextFormatting.padded(day, 2))T\(parts[4])Z"
        return try? Date.ISO8601FormatStyle().parse(iso)
    }
}
