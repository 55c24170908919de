import TasterCore
import TasterSupport

/// Workloads did not become ready in time (or one can no longer get there, e.g. a Deployment
/// past its progress deadline): says, per workload, what kubectl would say it waits for and,
/// per pod, why the pod is not ready. Exit 3.
package struct WorkloadsNotReadyError: TasterError {
    package struct Workload: Sendable {
        package var workload: WorkloadTarget
        /// What is being waited for, in `kubectl rollout status`'s words.
        package var waitingFor: String
        /// Set when waiting longer cannot help.
        package var failure: String?
        /// One `PodDiagnostics` line per pod of the workload's selector.
        package var pods: [String]
        /// Why the pods could not be listed, when they could not.
        package var podsUnavailable: String?
    }

    /// The wait's limit; nil when it stopped early because a workload failed.
    package var timeout: Duration?
    package var namespace: String
    package var notReady: [Workload]
    /// Workloads that were ready, and after how many seconds.
    package var ready: [(workload: WorkloadTarget, seconds: Double)]
    /// The run's `TASTER_DEADLINE`, when what was left of it (not `TASTER_READY_TIMEOUT`) ended the wait.
    package var deadlineBudget: Duration?

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        var lines: [String] = []
        let references = notReady.map(\.workload.reference).joined(separator: ", ")
        if let timeout, let deadlineBudget {
            lines.append(
                "\(references) not ready within \(DurationParser.format(timeout)) in namespace \"\(namespace)\", "
                    + "all that was left of the run's deadline (TASTER_DEADLINE \(DurationParser.format(deadlineBudget))):")
        } else if let timeout {
            lines.append("\(references) not ready within \(DurationParser.format(timeout)) in namespace \"\(namespace)\":")
        } else {
            lines.append("\(references) cannot become ready in namespace \"\(namespace)\":")
        }
        for entry in notReady {
            let replicas = entry.workload.replicas == 1 ? "1 replica" : "\(entry.workload.replicas) replicas"
            lines.append("  \(entry.workload.reference) (\(replicas)): \(entry.failure ?? entry.waitingFor)")
            if let problem = entry.podsUnavailable {
                lines.append("    (its pods could not be listed: \(problem))")
            } else if entry.pods.isEmpty {
                lines.append("    no pods match its selector yet (kubectl describe \(entry.workload.reference) -n \(namespace) shows why none were created)")
            }
            for pod in entry.pods { lines.append("    \(pod)") }
        }
        for (workload, seconds) in ready {
            lines.append("  \(workload.reference) was ready after \(TextFormatting.fixed(seconds, 1))s")
        }
        let longer = deadlineBudget == nil ? "TASTER_READY_TIMEOUT" : "TASTER_DEADLINE (and TASTER_READY_TIMEOUT with it)"
        lines.append(
            timeout == nil
                ? "Fix the workload (kubectl describe pod POD -n \(namespace) shows events)."
                : "Fix what the pods report (kubectl describe pod POD -n \(namespace) shows events), or raise \(longer) if they only need longer.")
        return lines.joined(separator: "\n")
    }
}
