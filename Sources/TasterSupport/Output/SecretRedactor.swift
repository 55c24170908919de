import Synchronization

/// The one scrubbing step every way out of taster passes through: log lines in both formats,
/// standard output's tables, errors on standard error, the termination message, the free text
/// of reports and the page, the Kubernetes Event and the notification.
///
/// Every secret taster holds is registered here, with the setting it came from. A line that holds
/// a secret is **withheld whole** — replaced by a notice naming the setting — instead of having
/// the secret masked inside it: a mask in otherwise legible text tells the reader which word was
/// the secret (a password `orders` masked in `count pxbbq.orders` gives itself away), a withheld
/// line does not. The secret is looked for in the forms a library or a server may echo it in:
/// as given, percent-decoded and percent-encoded, JSON-escaped, in any letter case, and cut —
/// any piece of 8 characters, and each part of 6 or more between the characters at which a URI
/// parser splits (`@ : / ? #`), as libmongoc splits a password with an unescaped `@` between user
/// info and host.
/// Shorter pieces are not looked for: they would meet ordinary words by chance.
///
/// Code must still never put a secret into a message (`Secret` cannot be printed by accident);
/// this catches what a library or a server echoes.
package final class SecretRedactor: Sendable {
    /// The process-wide redactor used by every output.
    package static let shared = SecretRedactor()

    /// What stands for a secret where the place itself is known to hold one (`--show-settings`,
    /// the password of a connection string): always the same four characters, whatever the
    /// secret's length.
    package static let mask = "****"

    /// Values shorter than this are not registered: withholding every line with "ab" in it would
    /// silence all output, and code never prints a secret in the first place.
    package static let minimumLength = 4

    private struct Registry: Sendable {
        /// Lower-cased forms looked for whole (short secrets, and those registered without pieces).
        var whole: [(form: String, origin: String)] = []
        /// Every piece of `pieceLength` bytes of a lower-cased form, packed into an integer.
        var pieces: [UInt64: String] = [:]
        var origins: Set<String> = []
    }

    private let registry = Mutex(Registry())

    package init() {}

    /// How long a piece of a secret must be to be looked for.
    static let pieceLength = 8
    /// How long a part between `@ : / ? #` must be to be looked for whole: `Pass` in
    /// `Wr@ng:Pass/word` is an ordinary word, `Summer` in `Summer@2024-Secret` is enough.
    static let minimumPartLength = 6

    /// Registers `secret` in all its forms; with `fragments`, its pieces and parts too.
    package func register(_ secret: Secret, fragments: Bool = true) {
        register(secret.revealed, origin: secret.origin, fragments: fragments)
    }

    /// Registers a secret value that came from `origin` (a setting's name).
    package func register(_ value: String?, origin: String = "a secret setting", fragments: Bool = true) {
        guard let value, value.count >= Self.minimumLength else { return }
        var whole = Self.forms(of: value)
        if fragments {
            for part in (PercentEncoding.decode(value) ?? value).split(whereSeparator: { "@:/?#".contains($0) }) where part.count >= Self.minimumPartLength {
                whole.formUnion(Self.forms(of: String(part)))
            }
        }
        registry.withLock { registry in
            registry.origins.insert(origin)
            for form in whole {
                let bytes = Array(form.utf8)
                guard fragments, bytes.count >= Self.pieceLength else {
                    if !registry.whole.contains(where: { $0.form == form }) { registry.whole.append((form, origin)) }
                    continue
                }
                for start in 0...(bytes.count - Self.pieceLength) {
                    let key = Self.pack(bytes[start..<(start + Self.pieceLength)])
                    if registry.pieces[key] == nil { registry.pieces[key] = origin }
                }
            }
        }
    }

    /// The settings whose secrets `text` holds, in any form or in part; empty when it holds none.
    package func findings(in text: String) -> [String] {
        let registry = registry.withLock { $0 }
        guard !registry.origins.isEmpty, !text.isEmpty else { return [] }
        let lower = text.lowercased()
        var found: Set<String> = []
        for (form, origin) in registry.whole where !found.contains(origin) && lower.contains(form) {
            found.insert(origin)
        }
        if !registry.pieces.isEmpty {
            var packed: UInt64 = 0
            for (index, byte) in lower.utf8.enumerated() {
                packed = (packed << 8) | UInt64(byte)
                if index >= Self.pieceLength - 1, let origin = registry.pieces[packed] { found.insert(origin) }
            }
        }
        return found.sorted()
    }

    /// Whether `text` holds a registered secret in any form or in part.
    package func holdsSecret(_ text: String) -> Bool { !findings(in: text).isEmpty }

    /// `text` with every line that holds a secret replaced, whole, by the notice.
    package func scrub(_ text: String) -> String {
        guard !registry.withLock({ $0.origins.isEmpty }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let origins = findings(in: String(line))
            return origins.isEmpty ? String(line) : Self.notice(origins)
        }.joined(separator: "\n")
    }

    /// What replaces a withheld line: it names the settings, never the value or where in the line
    /// it was.
    package static func notice(_ origins: [String]) -> String {
        "[withheld: this line held a secret (\(origins.joined(separator: ", "))), or part of one; see README \"Secrets in output\"]"
    }

    /// The forms a secret may be echoed in, lower-cased: as given, percent-decoded,
    /// percent-encoded, JSON-escaped (with and without `\/`, and with every non-ASCII character
    /// as `\uXXXX`).
    static func forms(of value: String) -> Set<String> {
        var forms: Set<String> = [value]
        if let decoded = PercentEncoding.decode(value) { forms.insert(decoded) }
        for form in Array(forms) {
            forms.insert(PercentEncoding.escapeUserInfo(form))
            let json = String(JSONText.quote(form).dropFirst().dropLast())
            forms.insert(json)
            forms.insert(json.replacingAll("/", with: "\\/"))
            forms.insert(asciiJSON(json))
        }
        return Set(forms.filter { $0.count >= minimumLength }.map { $0.lowercased() })
    }

    private static func asciiJSON(_ text: String) -> String {
        var out = ""
        for unit in text.utf16 {
            if unit < 0x80 {
                out.unicodeScalars.append(Unicode.Scalar(UInt8(unit)))
            } else {
                let hex = String(unit, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            }
        }
        return out
    }

    private static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        bytes.reduce(UInt64(0)) { ($0 << 8) | UInt64($1) }
    }
}

extension String {
    /// Replaces every occurrence of `target` (non-empty) without Foundation.
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var output = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            output += rest[..<range.lowerBound]
            output += replacement
            rest = rest[range.upperBound...]
        }
        output += rest
        return output
    }
}
