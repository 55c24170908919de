import Crypto
import FoundationEssentials
import TasterSupport

/// The secret key of a document index's field digests. Without it, a digest of a value from a
/// small range (a status, a quantity, an int32 price) could be turned back into the value by
/// anyone who can read the bucket, by trying every value; with it, nobody without the key can.
///
/// Where it comes from, in this order: `TASTER_EVIDENCE_KEY` (at least 16 characters, from the
/// app's Secret; `openssl rand -base64 32` makes one), else the database password, stretched with
/// PBKDF2-HMAC-SHA-256 first so that the key id and the digests in the bucket are no fast way of
/// guessing the password. Either way HKDF-SHA-256 derives the key the digests are made with.
///
/// The key is never printed, logged or stored: `id` names it (the first 8 bytes of
/// HMAC-SHA-256(key, "taster evidence key id"), hex), so post-taste can tell a rotated key from
/// the baseline's.
package struct EvidenceKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    private let key: SymmetricKey
    /// What names the key in `pre.json` (`checks[].index.keyID`): 16 hex digits.
    package let id: String
    /// The setting it came from: `TASTER_EVIDENCE_KEY`, `the password in MONGODB_URI`...
    package let origin: String

    /// The shortest `TASTER_EVIDENCE_KEY` taster takes.
    package static let minimumLength = 16
    /// PBKDF2 rounds for a key made from a database password.
    package static let passwordRounds = 100_000
    static let salt = Array("taster/evidence-key/v2".utf8)

    private init(material: some ContiguousBytes, origin: String) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: material), salt: Self.salt, info: Array("field digests".utf8), outputByteCount: 32)
        let name = HMAC<SHA256>.authenticationCode(for: Array("taster evidence key id".utf8), using: key)
        id = TextFormatting.hex(Data(name).prefix(8))
        self.origin = origin
    }

    /// The key given in `TASTER_EVIDENCE_KEY` (already checked for its length and registered
    /// with the scrubber).
    package init(secret: Secret) {
        self.init(material: Array(secret.revealed.utf8), origin: secret.origin)
    }

    /// The key made from the database password: PBKDF2-HMAC-SHA-256 of `rounds` rounds, then HKDF.
    package init(password: Secret, rounds: Int = EvidenceKey.passwordRounds) {
        self.init(material: Self.pbkdf2(password: Array(password.revealed.utf8), salt: Self.salt, rounds: rounds), origin: password.origin)
    }

    /// The digester of field values under this key.
    package var digester: FieldDigester { FieldDigester(key: key) }

    /// PBKDF2-HMAC-SHA-256 (RFC 8018), one block of 32 bytes.
    static func pbkdf2(password: [UInt8], salt: [UInt8], rounds: Int) -> [UInt8] {
        let secret = SymmetricKey(data: password)
        let keyed = HMAC<SHA256>(key: secret)
        var mac = keyed
        mac.update(data: salt + [0, 0, 0, 1])
        var block = Array(mac.finalize())
        var result = block
        for _ in 1..<max(rounds, 1) {
            var next = keyed
            next.update(data: block)
            block = Array(next.finalize())
            for index in result.indices { result[index] ^= block[index] }
        }
        return result
    }

    package var description: String { "evidence key \(id) (\(origin))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["id": id, "origin": origin]) }

    package static func == (lhs: EvidenceKey, rhs: EvidenceKey) -> Bool { lhs.id == rhs.id }
}
