/// Escaping for text and attribute values in the HTML taster writes. Every value that comes from
/// data or settings (collection names, run ids, values) goes through `escape`.
package enum HTML {
    package static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters other than tab/newline are not allowed in XML; show them escaped.
                if character.value < 0x20 && character != "\n" && character != "\t" {
                    out += "\\u{\(String(character.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(character)
                }
            }
        }
        return out
    }
}
