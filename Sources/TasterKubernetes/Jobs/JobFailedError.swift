import TasterSupport

/// The Job `taster await-job` waited for failed: its `Failed` condition, and why each of its
/// pods ended. The Job is kept for debugging. Exit 1, as the Job's failure is the CI step's.
package struct JobFailedError: TasterError {
    package var job: String
    package var namespace: String
    /// The `Failed` condition's reason and message (`BackoffLimitExceeded`, `DeadlineExceeded`).
    package var reason: String?
    package var message: String?
    package var failedPods: Int
    /// One `PodDiagnostics` line per pod.
    package var pods: [String]

    package var exitCode: TasterExitCode { .integrityFailure }

    package var description: String {
        var lines = [
            "job/\(job) in namespace \"\(namespace)\" failed: \(reason ?? "Failed")\(message.map { " — \($0)" } ?? "") (\(failedPods) pod\(failedPods == 1 ? "" : "s") failed)"
        ]
        lines += pods.map { "  \($0)" }
        lines.append(
            "The Job was kept for debugging: kubectl describe job/\(job) -n \(namespace); kubectl logs job/\(job) -n \(namespace). Delete it before the next run."
        )
        return lines.joined(separator: "\n")
    }
}
