/// Just enough XML for S3's answers (`<Error>`, `<ListBucketResult>`): the text of flat,
/// non-nested elements, with entities decoded. S3 documents are machine-written and shallow;
/// a full parser (and libxml2 in the image) would be weight for nothing.
enum S3XML {
    /// The text of the first `<name>…</name>` in `xml`; "" for `<name/>`; nil when absent.
    static func value(_ name: String, in xml: Substring) -> String? {
        values(name, in: xml).first
    }

    /// The text of every `<name>…</name>` in `xml`, in order.
    static func values(_ name: String, in xml: Substring) -> [String] {
        elements(name, in: xml).map { decodeEntities($0) }
    }

    /// The raw inner text of every `<name>…</name>` (and "" for each `<name/>`).
    static func elements(_ name: String, in xml: Substring) -> [Substring] {
        let open = "<\(name)>", close = "</\(name)>", empty = "<\(name)/>"
        var found: [Substring] = []
        var rest = xml
        while let start = rest.firstRange(of: "<\(name)") {
            let after = rest[start.upperBound...]
            if rest[start.lowerBound...].hasPrefix(empty) {
                found.append("")
                rest = rest[rest.index(start.lowerBound, offsetBy: empty.count)...]
                continue
            }
            guard rest[start.lowerBound...].hasPrefix(open) else {
                // `<NameSuffix>` or an element with attributes: skip past this "<".
                rest = after
                continue
            }
            let contentStart = rest.index(start.lowerBound, offsetBy: open.count)
            guard let end = rest[contentStart...].firstRange(of: close) else { break }
            found.append(rest[contentStart..<end.lowerBound])
            rest = rest[end.upperBound...]
        }
        return found
    }

    /// Decodes `&amp; &lt; &gt; &quot; &apos;` and numeric references (`&#34;`, `&#x9;`).
    static func decodeEntities(_ text: Substring) -> String {
        guard text.contains("&") else { return String(text) }
        var out = ""
        var rest = text
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semicolon = rest[amp...].firstIndex(of: ";"),
                rest.distance(from: amp, to: semicolon) <= 10
            else {
                out += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let entity = rest[rest.index(after: amp)..<semicolon]
            if let decoded = decode(entity) {
                out += decoded
            } else {
                out += rest[amp...semicolon]
            }
            rest = rest[rest.index(after: semicolon)...]
        }
        return out + rest
    }

    private static func decode(_ entity: Substring) -> String? {
        switch entity {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard entity.hasPrefix("#") else { return nil }
            let number = entity.dropFirst()
            let value = number.hasPrefix("x") || number.hasPrefix("X") ? UInt32(number.dropFirst(), radix: 16) : UInt32(number)
            return value.flatMap(Unicode.Scalar.init).map { String(Character($0)) }
        }
    }
}
