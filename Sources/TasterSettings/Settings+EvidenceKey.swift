import TasterCore
import TasterMongo
import TasterPostgres
import TasterSupport

/// Where the key of the document indexes' field digests comes from: `TASTER_EVIDENCE_KEY`, else
/// the database password; with neither, the indexes hold `_id`s only and say so.
extension Settings {
    /// `evidence` with what its key is made from, for the commands that write document indexes:
    /// the key itself is made by the phase, only when a check keeps an index (a password is
    /// stretched, which takes a moment, with the baseline's salt at post-taste).
    package func evidenceWithSecret() -> EvidencePolicy {
        var policy = evidence
        policy.secret = evidenceSecret
        return policy
    }

    /// `TASTER_EVIDENCE_KEY`, registered with the scrubber before anything is checked, or the
    /// password of the database connection.
    static func readEvidenceSecret(
        _ reader: inout SettingsReader, mongo: MongoSettings, postgres: PostgresSettings?
    ) -> EvidenceSecret? {
        if let found = reader.secret(["TASTER_EVIDENCE_KEY"]) {
            let value = found.value.trimmingSpaces()
            let secret = Secret.registered(value, origin: "TASTER_EVIDENCE_KEY")
            guard value.count >= EvidenceKey.minimumLength else {
                reader.fail(
                    "TASTER_EVIDENCE_KEY",
                    "is shorter than \(EvidenceKey.minimumLength) characters (value not shown): a short key can be guessed; "
                        + "make one with `openssl rand -base64 32`",
                    example: "TASTER_EVIDENCE_KEY=<the output of openssl rand -base64 32>")
                return nil
            }
            return .key(secret)
        }
        // The engine's own password: PostgreSQL's when it is the engine (even when it gives none), else MongoDB's.
        let password = postgres != nil ? postgres?.password : mongo.password
        return password.map { .password($0) }
    }

    /// `check --show-settings`: where the key comes from, never the key.
    var evidenceKeyShown: String {
        switch evidenceSecret {
        case .key: SecretRedactor.mask
        case .password(let password): "derived from \(password.origin)"
        case nil: "(none: indexes hold _ids only)"
        }
    }
}
