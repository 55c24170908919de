/// The Job `taster await-job` waited for failed: its `Failed` condition, and why each of its
/// pods ended. The Job is kept for debugging. Exit 1, as the Job's failure is the CI step's.
public struct JobFailedError: TasterError {
    public var job: String
    public var namespace: String
    /// The `Failed` condition's reason and message (`BackoffLimitExceeded`, `DeadlineExceeded`).
    public var reason: String?
    public var message: String?
    public var failedPods: Int
    /// One `PodDiagnostics` line per pod.
    public var pods: [String]

    public var exitCode: TasterExitCode { .integrityFailure }

    public var description: String {
        var lines = ["job/\(job) in namespace \"\(namespace)\" failed: \(reason ?? "Failed")\(message.map { " — \($0)" } ?? "") (\(failedPods) pod\(failedPods == 1 ? "" : "s") failed)"]
        lines += pods.map { "  \($0)" }
        lines.append("The Job was kept for debugging: kubectl describe job/\(job) -n \(namespace); kubectl logs job/\(job) -n \(namespace). Delete it before the next run.")
        return lines.joined(separator: "\n")
    }
}
