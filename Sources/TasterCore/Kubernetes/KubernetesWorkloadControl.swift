import Logging

/// The workflows' `WorkloadControl` port over the Kubernetes API: replicas and scaling through
/// `WorkloadScaler`, waiting through `ReadinessWatcher`, all in one namespace.
public struct KubernetesWorkloadControl: WorkloadControl {
    public let scaler: WorkloadScaler
    public let readiness: ReadinessWatcher

    public init(client: KubernetesClient, namespace: String, logger: Logger) {
        scaler = WorkloadScaler(client: client, namespace: namespace, logger: logger)
        readiness = ReadinessWatcher(client: client, namespace: namespace, logger: logger)
    }

    public func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int {
        try await scaler.replicas(of: workload, deadline: deadline)
    }

    public func scale(_ workload: WorkloadTarget, to replicas: Int, deadline: Deadline) async throws -> Int {
        try await scaler.scale(workload, to: replicas, deadline: deadline)
    }

    public func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double] {
        try await readiness.waitUntilReady(workloads, timeout: timeout, deadline: deadline)
    }
}
