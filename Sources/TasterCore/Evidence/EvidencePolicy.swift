/// How document indexes are kept (`TASTER_EVIDENCE_LIMIT`, `TASTER_EVIDENCE_MAX_DOCUMENTS`).
package struct EvidencePolicy: Sendable, Equatable {
    /// How many `_id`s of each category a verdict names (the full list goes to S3).
    package var limit: Int
    /// A check over this many documents keeps no index (logged; judged by its value).
    package var maxDocuments: Int64

    package static let defaultLimit = 20
    package static let defaultMaxDocuments: Int64 = 5_000_000

    package init(limit: Int = EvidencePolicy.defaultLimit, maxDocuments: Int64 = EvidencePolicy.defaultMaxDocuments) {
        self.limit = limit
        self.maxDocuments = maxDocuments
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
