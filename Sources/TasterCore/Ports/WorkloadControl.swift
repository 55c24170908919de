import TasterSupport

/// What the workflows need from Kubernetes: the replicas of a workload, scaling it, and waiting
/// until workloads are really ready. Implemented by the Kubernetes adapter; errors it throws are
/// `TasterError`s (exit 3) that say what failed and what to do.
package protocol WorkloadControl: Sendable {
    /// The workload's replicas now (`spec.replicas` via the scale subresource).
    func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int
    /// Sets the replicas; returns the replicas found before.
    func scale(_ workload: WorkloadTarget, to replicas: Int, deadline: Deadline) async throws -> Int
    /// Waits, watch-driven, until every workload is ready at its `replicas`, within `timeout`
    /// (and the deadline); returns the seconds each took. On timeout the error explains, per
    /// pod, why it is not ready.
    func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double]
}
