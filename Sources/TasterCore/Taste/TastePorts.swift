import FoundationEssentials

/// What the workflows need from Kubernetes: the replicas of a workload, scaling it, and waiting
/// until workloads are really ready. Implemented by the Kubernetes client; errors it throws are
/// `TasterError`s (exit 3) that say what failed and what to do.
public protocol WorkloadControl: Sendable {
    /// The workload's replicas now (`spec.replicas` via the scale subresource).
    func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int
    /// Sets the replicas; returns the replicas found before.
    func scale(_ workload: WorkloadTarget, to replicas: Int, deadline: Deadline) async throws -> Int
    /// Waits, watch-driven, until every workload is ready at its `replicas`, within `timeout`
    /// (and the deadline); returns the seconds each took. On timeout the error explains, per
    /// pod, why it is not ready.
    func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double]
}

/// What the workflows need from MongoDB.
public protocol DatabaseSnapshotting: Sendable {
    /// Waits until MongoDB accepts connections, within `timeout` (and the deadline).
    func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws
    /// Measures every configured check; `asOf` is the baseline's snapshot time for checks
    /// configured with `asOf: baseline`. With `refusingMissing` (the baseline), a check whose
    /// collection does not exist and that does not say `allowMissing: true` is refused with
    /// `MissingCollectionError` (exit 2) before anything is measured.
    func snapshot(asOf: Date?, refusingMissing: Bool, deadline: Deadline) async throws -> Snapshot
}

/// Where reports are kept: an S3-compatible bucket.
public protocol ReportStore: Sendable {
    /// Writes an object; with `createOnly` an existing object is never overwritten (the store
    /// refuses with an error that says so).
    func put(_ key: String, data: Data, contentType: String, createOnly: Bool) async throws
    /// Reads an object of at most `maxBytes`; nil when it does not exist.
    func get(_ key: String, maxBytes: Int) async throws -> Data?
    func exists(_ key: String) async throws -> Bool
    /// Every object under `prefix`, with its size and time.
    func list(prefix: String) async throws -> [S3ObjectInfo]
    /// `s3://bucket/key`, for messages and reports.
    func uri(for key: String) -> String
}

/// Argo CD's view of the sync in progress, for pairing pre-taste and post-taste of one sync.
public protocol SyncOperationSource: Sendable {
    /// The Application's current sync operation (revision and start time), or nil when it has none.
    func currentSyncOperation(application: String, namespace: String) async throws -> SyncOperation?
}

/// A sync operation of an Argo CD Application, from `status.operationState`.
public struct SyncOperation: Sendable, Equatable {
    /// The revision(s) being synced (several for a multi-source Application).
    public var revisions: [String]
    /// `status.operationState.startedAt`.
    public var startedAt: String

    public init(revisions: [String], startedAt: String) {
        self.revisions = revisions
        self.startedAt = startedAt
    }
}
