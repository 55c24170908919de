import TasterSupport

/// What the evidence key is made from: `TASTER_EVIDENCE_KEY`, else the database password. Kept
/// as the secret until a phase needs the key (`EvidenceKeyResolver`), because stretching a
/// password costs CPU and post-taste stretches it with the baseline's salt and rounds.
package enum EvidenceSecret: Sendable, Equatable {
    /// `TASTER_EVIDENCE_KEY`.
    case key(Secret)
    /// The password taster connects to the database with.
    case password(Secret)
}
