import FoundationEssentials
import Logging
import TasterCore
import TasterSupport

/// Reads and sets the replicas of Deployments and StatefulSets through their `scale`
/// subresource (`autoscaling/v1` Scale), as `kubectl scale` does: GET, then PATCH
/// `application/merge-patch+json` `{"spec":{"replicas":N}}` — no resourceVersion, so a
/// concurrent change to the workload cannot make it fail with a conflict.
///
/// - SeeAlso: https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/deployment-v1/#replace-scale-of-the-specified-deployment
package struct WorkloadScaler: Sendable {
    package let client: KubernetesClient
    package let namespace: String
    let logger: Logger

    package init(client: KubernetesClient, namespace: String, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
    }

    /// `spec.replicas` of the workload's Scale (missing means 0: the API leaves zeros out).
    package func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int {
        let scale = try await client.get(
            ScaleObject.self, .getScale(workload.kind), namespace: namespace, name: workload.name,
            notFoundAdvice: notFoundAdvice(workload), deadline: deadline)
        return scale.spec?.replicas ?? 0
    }

    /// Sets the workload's replicas to `replicas` and returns the replicas it had before (no
    /// PATCH when they are equal).
    package func scale(_ workload: WorkloadTarget, to replicas: Int, deadline: Deadline) async throws -> Int {
        let before = try await self.replicas(of: workload, deadline: deadline)
        guard before != replicas else {
            logger.debug("\(workload.reference) already has \(replicas) replicas")
            return before
        }
        let body = Data(#"{"spec":{"replicas":\#(replicas)}}"#.utf8)
        try await client.request(
            .patchScale(workload.kind), namespace: namespace, name: workload.name,
            body: body, contentType: "application/merge-patch+json",
            notFoundAdvice: notFoundAdvice(workload), deadline: deadline)
        return before
    }

    func notFoundAdvice(_ workload: WorkloadTarget) -> String {
        Self.notFoundAdvice(workload, namespace: namespace)
    }

    /// What to check when a workload of `TASTER_WORKLOADS` is not there.
    static func notFoundAdvice(_ workload: WorkloadTarget, namespace: String) -> String {
        "check \(workload.reference) in TASTER_WORKLOADS and the namespace \"\(namespace)\" (TASTER_NAMESPACE)"
    }
}
