import TasterSupport

/// The Job `taster await-job` waited for did not finish within `--timeout`: its counts and, per
/// pod, why it has not ended. The Job is left as it is. Exit 3.
package struct JobNotFinishedError: TasterError {
    package var job: String
    package var namespace: String
    package var timeout: Duration
    /// The Job's last status; nil when it could not be read.
    package var status: JobObject.Status?
    /// One `PodDiagnostics` line per pod.
    package var pods: [String]
    package var podsUnavailable: String?

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        var head = "job/\(job) in namespace \"\(namespace)\" did not finish within \(DurationParser.format(timeout))"
        if let status {
            head += " (active \(status.active ?? 0), succeeded \(status.succeeded ?? 0), failed \(status.failed ?? 0))"
        }
        var lines = [head]
        if let podsUnavailable {
            lines.append("  (its pods could not be listed: \(podsUnavailable))")
        } else if pods.isEmpty {
            lines.append("  it has no pods (kubectl describe job/\(job) -n \(namespace) shows why)")
        }
        lines += pods.map { "  \($0)" }
        lines.append("The Job was left running; raise --timeout if it only needs longer.")
        return lines.joined(separator: "\n")
    }
}
