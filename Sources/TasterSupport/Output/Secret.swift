/// A value that must never be printed: a password, a secret key, a token, a URL or connection
/// string that carries one. Interpolation, `print`, `String(describing:)`, `dump` and `Mirror` all
/// give the mask; only `revealed` gives the value, and it is spelled out where a library or a
/// server must have it (libmongoc, the SigV4 signer, an `Authorization` header).
///
/// Holding a secret does not register it with the scrubber: `registered(_:origin:)` does both.
package struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let value: String
    /// Where the value came from (`MONGO_PASS`, `the password in MONGODB_URI`), for the notice
    /// that replaces a line the scrubber withholds.
    package let origin: String

    package init(_ value: String, origin: String) {
        self.value = value
        self.origin = origin
    }

    /// A secret that the process-wide scrubber also looks for from now on.
    package static func registered(_ value: String, origin: String, fragments: Bool = true) -> Secret {
        let secret = Secret(value, origin: origin)
        SecretRedactor.shared.register(secret, fragments: fragments)
        return secret
    }

    /// The value itself. Never interpolate it into a message.
    package var revealed: String { value }

    package var description: String { SecretRedactor.mask }
    package var debugDescription: String { SecretRedactor.mask }
    package var customMirror: Mirror { Mirror(self, children: ["value": SecretRedactor.mask]) }

    package static func == (lhs: Secret, rhs: Secret) -> Bool { lhs.value == rhs.value }
    package func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
