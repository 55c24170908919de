/// Number formatting without Foundation's `String(format:)` (which needs ICU).
package enum TextFormatting {
    /// `value` with exactly `digits` decimals, rounded half away from zero: `fixed(2.345, 2)` → "2.35".
    package static func fixed(_ value: Double, _ digits: Int) -> String {
        guard value.isFinite else { return value.description }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded()
        guard scaled < 9.0e18 else { return value.description }
        var integer = Int64(scaled)
        let negative = value < 0 && integer != 0
        var fraction = ""
        for _ in 0..<digits {
            fraction = String(integer % 10) + fraction
            integer /= 10
        }
        return (negative ? "-" : "") + String(integer) + (digits > 0 ? "." + fraction : "")
    }

    /// `value` left-padded with zeros to `width` digits: `padded(7, 3)` → "007".
    package static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(abs(value))
        return (value < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// `text` cut or right-padded with spaces to `width` characters.
    package static func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
    }

    /// `text` in lines of at most `width` characters, broken at spaces (a longer word gets a line
    /// of its own): for help texts, which ArgumentParser would otherwise wrap to column 0.
    package static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Lowercase hexadecimal of `bytes`.
    package static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef")
        var out = ""
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return out
    }
}
