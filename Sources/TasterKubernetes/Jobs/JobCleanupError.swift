import TasterSupport

/// The Job succeeded, but `taster await-job` could not delete it. Exit 3: a completed Job left
/// behind would make the next `kubectl apply` find it finished and the next await-job pass
/// without running anything.
package struct JobCleanupError: TasterError {
    package var job: String
    package var namespace: String
    package var cause: any TasterError

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        "job/\(job) in namespace \"\(namespace)\" succeeded, but deleting it failed: \(cause)\n"
            + "Delete it (kubectl delete job \(job) -n \(namespace)) before the next run — a finished Job left behind is not run again by kubectl apply — or pass --keep and delete it in the pipeline."
    }
}
