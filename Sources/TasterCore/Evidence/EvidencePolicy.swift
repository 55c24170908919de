/// How document indexes are kept (`TASTER_EVIDENCE_LIMIT`, `TASTER_EVIDENCE_MAX_DOCUMENTS`,
/// `TASTER_EVIDENCE_KEY`).
package struct EvidencePolicy: Sendable, Equatable {
    /// How many `_id`s of each category a verdict names (the full list goes to S3).
    package var limit: Int
    /// A check over this many documents keeps no index (logged; judged by its value).
    package var maxDocuments: Int64
    /// What the key of the field digests is made from; nil when nothing is configured (no
    /// `TASTER_EVIDENCE_KEY`, no database password): the index then holds `_id`s only.
    package var secret: EvidenceSecret?
    /// The key of the field digests, once a phase has made it from `secret` (`EvidenceKeyResolver`,
    /// only when a check keeps a document index); nil before, and without a secret.
    package var key: EvidenceKey?

    package static let defaultLimit = 20
    /// The most `_id`s of each category a verdict may name: 3 × 1000 ids per check keep
    /// `verdict.json`, the page and the notification readable; the full list is in S3 anyway.
    package static let maximumLimit = 1000
    package static let defaultMaxDocuments: Int64 = 5_000_000

    package init(
        limit: Int = EvidencePolicy.defaultLimit, maxDocuments: Int64 = EvidencePolicy.defaultMaxDocuments, secret: EvidenceSecret? = nil,
        key: EvidenceKey? = nil
    ) {
        self.limit = limit
        self.maxDocuments = maxDocuments
        self.secret = secret
        self.key = key
    }
}

/// A snapshot and the document indexes its checks wrote, by check name.
package struct IndexedSnapshot: Sendable {
    package var snapshot: Snapshot
    package var indexes: [String: DocumentIndexOutcome]

    package init(snapshot: Snapshot, indexes: [String: DocumentIndexOutcome] = [:]) {
        self.snapshot = snapshot
        self.indexes = indexes
    }
}
