import TasterCore
import TasterSupport

/// Reads the sync operation of an Argo CD Application (`argoproj.io/v1alpha1`), so the PreSync
/// and PostSync hooks of one sync derive the same run id: the revision(s) being synced and
/// when the operation started.
package struct ArgoSyncOperationSource: SyncOperationSource {
    package let client: KubernetesClient
    let deadline: Deadline

    package init(client: KubernetesClient, deadline: Deadline) {
        self.client = client
        self.deadline = deadline
    }

    /// `status.operationState`: `operation.sync.revisions` (multi-source) or `.revision` (else
    /// the revision(s) of `syncResult`), and `startedAt`; nil when the Application has no
    /// operation or it is not a sync.
    package func currentSyncOperation(application: String, namespace: String) async throws -> SyncOperation? {
        let object = try await client.get(
            ApplicationObject.self, .getApplication, namespace: namespace, name: application,
            notFoundAdvice: "check TASTER_ARGOCD_APP and TASTER_ARGOCD_NAMESPACE (the namespace Argo CD keeps its Applications in)",
            deadline: deadline)
        guard let state = object.status?.operationState, let sync = state.operation?.sync,
            let startedAt = state.startedAt, !startedAt.isEmpty
        else { return nil }
        let candidates: [[String]] = [
            sync.revisions ?? [], [sync.revision ?? ""],
            state.syncResult?.revisions ?? [], [state.syncResult?.revision ?? ""],
        ]
        let revisions = candidates.map { $0.filter { !$0.isEmpty } }.first { !$0.isEmpty } ?? []
        return SyncOperation(revisions: revisions, startedAt: startedAt)
    }
}

/// The part of an Argo CD Application taster reads.
struct ApplicationObject: Decodable {
    struct Revisions: Decodable {
        var revision: String?
        var revisions: [String]?
    }

    struct OperationState: Decodable {
        struct Operation: Decodable { var sync: Revisions? }
        var operation: Operation?
        var syncResult: Revisions?
        var phase: String?
        var startedAt: String?
    }

    struct Status: Decodable { var operationState: OperationState? }

    var metadata: ObjectMeta
    var status: Status?
}
