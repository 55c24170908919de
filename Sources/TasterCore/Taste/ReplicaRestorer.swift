import Logging

/// Puts workloads back to the replicas they had before taster scaled them. Runs in a task of its
/// own with its own budget, so it still happens after a SIGTERM cancelled the run or the run's
/// deadline ran out.
struct ReplicaRestorer: Sendable {
    let workloads: any WorkloadControl
    let logger: Logger

    /// How long restoring may take when the run itself has no time left (Kubernetes waits 30 s
    /// after SIGTERM before SIGKILL).
    static let budget: Duration = .seconds(20)

    /// Scales each workload to its `replicas`; returns the problems (empty when all succeeded).
    func restore(_ targets: [WorkloadTarget], runDeadline: Deadline) async -> [String] {
        guard !targets.isEmpty else { return [] }
        let budget = max(runDeadline.remaining, Self.budget)
        let workloads = self.workloads
        let logger = self.logger
        let problems = try? await Interruption.uncancelled(budget: budget) { deadline in
            var problems: [String] = []
            for target in targets {
                do {
                    let before = try await workloads.scale(target, to: target.replicas, deadline: deadline)
                    logger.info("restored \(target.reference): \(before) → \(target.replicas) replicas")
                } catch {
                    logger.error("could not restore \(target.reference) to \(target.replicas) replicas: \(error)")
                    problems.append("restore of \(target.reference) to \(target.replicas) replicas failed: \(error)")
                }
            }
            return problems
        }
        return problems ?? ["restore did not run"]
    }
}

/// Restoring the replicas failed after the run's main work: exit 3 (unless the data check
/// itself failed, which takes precedence).
public struct RestoreFailedError: TasterError {
    public let problems: [String]
    public init(problems: [String]) { self.problems = problems }
    public var exitCode: TasterExitCode { .dependency }
    public var description: String {
        problems.joined(separator: "; ") + " — run `taster restore` (the SyncFail hook) or scale the workloads back by hand"
    }
}
