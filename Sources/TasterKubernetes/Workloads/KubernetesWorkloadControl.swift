import Logging
import TasterCore
import TasterSupport

/// The workflows' `WorkloadControl` port over the Kubernetes API: replicas and scaling through
/// `WorkloadScaler`, waiting through `ReadinessWatcher`, all in one namespace.
package struct KubernetesWorkloadControl: WorkloadControl {
    package let scaler: WorkloadScaler
    package let readiness: ReadinessWatcher

    package init(client: KubernetesClient, namespace: String, logger: Logger) {
        scaler = WorkloadScaler(client: client, namespace: namespace, logger: logger)
        readiness = ReadinessWatcher(client: client, namespace: namespace, logger: logger)
    }

    package func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int {
        try await scaler.replicas(of: workload, deadline: deadline)
    }

    package func scale(_ workload: WorkloadTarget, to replicas: Int, deadline: Deadline) async throws -> Int {
        try await scaler.scale(workload, to: replicas, deadline: deadline)
    }

    package func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double] {
        try await readiness.waitUntilReady(workloads, timeout: timeout, deadline: deadline)
    }
}
