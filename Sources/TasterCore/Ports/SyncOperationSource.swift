/// Argo CD's view of the sync in progress, for pairing pre-taste and post-taste of one sync.
package protocol SyncOperationSource: Sendable {
    /// The Application's current sync operation (revision and start time), or nil when it has none.
    func currentSyncOperation(application: String, namespace: String) async throws -> SyncOperation?
}

/// A sync operation of an Argo CD Application, from `status.operationState`.
package struct SyncOperation: Sendable, Equatable {
    /// The revision(s) being synced (several for a multi-source Application).
    package var revisions: [String]
    /// `status.operationState.startedAt`.
    package var startedAt: String

    package init(revisions: [String], startedAt: String) {
        self.revisions = revisions
        self.startedAt = startedAt
    }
}
