import Crypto
import CryptoExtras
import FoundationEssentials
import TasterSupport

/// The secret key of a document index's field digests. Without it, a digest of a value from a
/// small range (a status, a quantity, an int32 price) could be turned back into the value by
/// anyone who can read the bucket, by trying every value; with it, nobody without the key can.
///
/// Where it comes from, in this order: `TASTER_EVIDENCE_KEY` (at least 16 characters, from the
/// app's Secret; `openssl rand -base64 32` makes one), else the database password, stretched with
/// PBKDF2-HMAC-SHA-256 under a random salt of each baseline (`Stretching`) so that the key id and
/// the digests in the bucket are a slow way of testing one guess of one installation's password,
/// never a table computed once for every installation. Either way HKDF-SHA-256 derives the key
/// the digests are made with.
///
/// The key is never printed, logged or stored: `id` names it (the first 8 bytes of
/// HMAC-SHA-256(key, "taster evidence key id"), hex), so post-taste can tell a rotated key from
/// the baseline's.
package struct EvidenceKey: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How a database password was stretched into the key: recorded in `pre.json`
    /// (`evidenceKey.salt`, `evidenceKey.rounds`) so post-taste derives the same key.
    package struct Stretching: Sendable, Equatable {
        package var salt: [UInt8]
        package var rounds: Int

        package init(salt: [UInt8], rounds: Int) {
            self.salt = salt
            self.rounds = rounds
        }

        /// A baseline's own: 16 random bytes of salt, `EvidenceKey.passwordRounds` rounds.
        package static func fresh() -> Stretching {
            Stretching(salt: SymmetricKey(size: .bits128).withUnsafeBytes { Array($0) }, rounds: EvidenceKey.passwordRounds)
        }

        /// Baselines before `pre.json` schemaVersion 3: one salt for every installation, 100,000
        /// rounds. Still derived, so those baselines are compared as before.
        package static let legacy = Stretching(salt: Array("taster/evidence-key/v2".utf8), rounds: 100_000)
    }

    private let key: SymmetricKey
    /// What names the key in `pre.json` (`evidenceKey.id`, `checks[].index.keyID`): 16 hex digits.
    package let id: String
    /// The setting it came from: `TASTER_EVIDENCE_KEY`, `the password in MONGODB_URI`...
    package let origin: String
    /// How the password was stretched; nil for `TASTER_EVIDENCE_KEY`.
    package let stretching: Stretching?

    /// The shortest `TASTER_EVIDENCE_KEY` taster takes.
    package static let minimumLength = 16
    /// PBKDF2 rounds for a key made from a database password (OWASP's 2023 figure for
    /// PBKDF2-HMAC-SHA-256).
    package static let passwordRounds = 600_000
    /// The bytes of salt a baseline records.
    package static let saltBytes = 16
    /// The rounds a baseline may ask for: fewer is no protection, more is a CPU bill an edited
    /// `pre.json` could hand post-taste.
    package static let acceptedRounds = 10_000...10_000_000
    /// HKDF's salt: a domain separator, the same for every key.
    static let hkdfSalt = Array("taster/evidence-key/v2".utf8)

    private init(material: some ContiguousBytes, origin: String, stretching: Stretching?) {
        key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: material), salt: Self.hkdfSalt, info: Array("field digests".utf8), outputByteCount: 32)
        let name = HMAC<SHA256>.authenticationCode(for: Array("taster evidence key id".utf8), using: key)
        id = TextFormatting.hex(Data(name).prefix(8))
        self.origin = origin
        self.stretching = stretching
    }

    /// The key given in `TASTER_EVIDENCE_KEY` (already checked for its length and registered
    /// with the scrubber).
    package init(secret: Secret) {
        self.init(material: Array(secret.revealed.utf8), origin: secret.origin, stretching: nil)
    }

    /// The key made from the database password: PBKDF2-HMAC-SHA-256 with `stretching`'s salt and
    /// rounds, then HKDF. Throws when BoringSSL refuses (it does not for the accepted rounds).
    package init(password: Secret, stretching: Stretching) throws {
        let stretched = try Self.pbkdf2(password: Array(password.revealed.utf8), salt: stretching.salt, rounds: stretching.rounds)
        self.init(material: stretched, origin: password.origin, stretching: stretching)
    }

    /// The digester of field values under this key.
    package var digester: FieldDigester { FieldDigester(key: key) }

    /// What `pre.json` and `post.json` record of the key: its id, and the salt and rounds of a
    /// password's.
    package var record: EvidenceKeyRecord {
        EvidenceKeyRecord(id: id, salt: stretching.map { TextFormatting.hex($0.salt) }, rounds: stretching?.rounds)
    }

    /// PBKDF2-HMAC-SHA-256 (RFC 8018), one block of 32 bytes, by BoringSSL.
    static func pbkdf2(password: [UInt8], salt: [UInt8], rounds: Int) throws -> [UInt8] {
        // Unchecked: the library's floor (210,000) would refuse the baselines of 100,000 rounds
        // still compared; `acceptedRounds` bounds what a baseline may ask for.
        let key = try KDF.Insecure.PBKDF2.deriveKey(
            from: password, salt: salt, using: .sha256, outputByteCount: 32, unsafeUncheckedRounds: max(rounds, 1))
        return key.withUnsafeBytes { Array($0) }
    }

    package var description: String { "evidence key \(id) (\(origin))" }
    package var debugDescription: String { description }
    package var customMirror: Mirror { Mirror(self, children: ["id": id, "origin": origin]) }

    package static func == (lhs: EvidenceKey, rhs: EvidenceKey) -> Bool { lhs.id == rhs.id }
}
