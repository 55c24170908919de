import Synchronization

/// The last line of defence against leaking credentials: every secret value taster loads is
/// registered here, and every log line and error message is scrubbed before it is written.
///
/// Code must still never put a secret into a message; this catches what slips through.
public final class SecretRedactor: Sendable {
    /// The process-wide redactor used by logging and error printing.
    public static let shared = SecretRedactor()

    /// What replaces a secret in output.
    public static let mask = "****"

    private let secrets = Mutex<Set<String>>([])

    public init() {}

    /// Values shorter than this are not registered: scrubbing every "ab" would garble all output,
    /// and code never prints a secret in the first place.
    public static let minimumLength = 4

    /// Registers a secret value (and its percent-encoded spelling).
    public func register(_ secret: String?) {
        guard let secret, secret.count >= Self.minimumLength else { return }
        secrets.withLock { set in
            set.insert(secret)
            // A secret can also appear percent-encoded (inside a URI) — scrub that spelling too.
            let escaped = PercentEncoding.escapeUserInfo(secret)
            if escaped != secret { set.insert(escaped) }
        }
    }

    /// Replaces every registered secret in `text` with the mask, longest first.
    public func scrub(_ text: String) -> String {
        let known = secrets.withLock { $0 }
        guard !known.isEmpty else { return text }
        var result = text
        for secret in known.sorted(by: { $0.count > $1.count }) where result.contains(secret) {
            result = result.replacingAll(secret, with: Self.mask)
        }
        return result
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
