import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// `taster await-job`: watches a Job until its `Complete` or `Failed` condition, streaming its
/// pods' container logs as they run (pods are found by the Job's selector as they appear), then
/// deletes a succeeded Job with `propagationPolicy: Background` (its pods go with it) unless told
/// to keep it, and keeps a failed one for debugging.
///
/// Returns the outcome when the Job succeeded; throws `JobFailedError` (exit 1) when it failed,
/// `JobNotFinishedError` (exit 3) when it did not finish in time, `JobCleanupError` (exit 3)
/// when it succeeded but could not be deleted, and the API's errors (exit 3).
package struct JobWatcher: Sendable {
    package enum Cleanup: Sendable, Equatable {
        /// Delete a succeeded Job (so the next `kubectl apply` creates it anew); keep a failed one.
        case deleteOnSuccess
        /// Keep the Job whatever happened.
        case keep
    }

    package struct Outcome: Sendable {
        package var job: String
        package var namespace: String
        /// Seconds from the start of the wait to the Job's `Complete` condition.
        package var seconds: Double
        package var succeededPods: Int
        /// Whether taster deleted the Job.
        package var deleted: Bool

        package var summary: String {
            "job/\(job) in namespace \"\(namespace)\" succeeded (\(succeededPods) pod\(succeededPods == 1 ? "" : "s") succeeded) after "
                + TextFormatting.fixed(seconds, 1) + "s; " + (deleted ? "deleted it and its pods" : "kept it")
        }
    }

    package let client: KubernetesClient
    package let namespace: String
    let logger: Logger
    /// Where log lines go (`pod/container | line`): standard output in the CLI.
    let output: @Sendable (String) -> Void

    package init(client: KubernetesClient, namespace: String, logger: Logger, output: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
        self.output = output
    }

    /// Connects with the settings' Kubernetes access (`--context` and `--namespace` already in
    /// them), allowed only the calls `KubernetesPermissions.awaitJob` lists.
    package static func connect(_ settings: KubernetesSettings, logger: Logger, output: @escaping @Sendable (String) -> Void) throws -> JobWatcher {
        let client = try KubernetesClient.connect(settings, permissions: KubernetesPermissions.awaitJob, logger: logger)
        return JobWatcher(client: client, namespace: client.namespace(for: settings), logger: logger, output: output)
    }

    private struct TimedOut: Error {}

    /// Waits for Job `name`, at most `timeout`.
    package func run(job name: String, timeout: Duration, cleanup: Cleanup) async throws -> Outcome {
        let started = ContinuousClock.now
        // The timer below ends the wait at `timeout`; the watches and log streams get a little
        // longer so that they do not give up at the same instant with a less useful error.
        let deadline = Deadline(budget: timeout + .seconds(5))
        let job = try await client.get(
            JobObject.self, .getJob, namespace: namespace, name: name,
            notFoundAdvice: "create it first (kubectl apply -f …), and check the name and the namespace (--namespace, TASTER_NAMESPACE)",
            deadline: Deadline(budget: min(timeout, .seconds(60))))
        logger.info("waiting for job/\(name) in namespace \"\(namespace)\" (up to \(DurationParser.format(timeout)))")
        if let done = job.finished {
            logger.warning(
                "job/\(name) had already finished (\(done.type) since \(job.status?.completionTime ?? "before taster started")); if it is left over from an earlier run, delete it before kubectl apply"
            )
        }
        let selector = job.spec?.selector?.query ?? ""
        let followers = PodLogFollower(client: client, namespace: namespace, logger: logger, deadline: deadline, output: output)
        let finished: JobObject
        do {
            finished = try await withThrowingTaskGroup(of: JobObject?.self) { group in
                group.addTask { try await watchJob(name, deadline: deadline) }
                if !selector.isEmpty {
                    group.addTask {
                        do {
                            try await watchPods(selector, of: name, followers: followers, deadline: deadline)
                        } catch is CancellationError {
                        } catch {
                            logger.warning("cannot follow the pods of job/\(name), so their logs are not shown: \(error)")
                        }
                        return nil
                    }
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    throw TimedOut()
                }
                while let next = try await group.next() {
                    if let job = next {
                        group.cancelAll()
                        return job
                    }
                }
                throw CancellationError()
            }
        } catch is TimedOut {
            followers.cancel()
            throw await notFinished(name, selector: selector, timeout: timeout)
        } catch {
            followers.cancel()
            throw error
        }

        let seconds = started.duration(to: .now).seconds
        // A pod the watch had not shown yet still gets its log printed, then the streams drain.
        if !selector.isEmpty, let pods = try? await listPods(selector, deadline: Deadline(budget: .seconds(10))) {
            pods.forEach(followers.follow)
        }
        await followers.finish(grace: .seconds(5))

        let condition = finished.finished
        guard condition?.type == "Complete" else {
            let pods = selector.isEmpty ? [] : ((try? await listPods(selector, deadline: Deadline(budget: .seconds(10)))) ?? [])
            throw JobFailedError(
                job: name, namespace: namespace, reason: condition?.reason, message: condition?.message,
                failedPods: finished.status?.failed ?? 0, pods: pods.map(PodDiagnostics.explain))
        }
        var deleted = false
        if cleanup == .deleteOnSuccess {
            try await delete(name)
            deleted = true
        }
        return Outcome(job: name, namespace: namespace, seconds: seconds, succeededPods: finished.status?.succeeded ?? 0, deleted: deleted)
    }

    /// Watches the Job until it has finished; returns its final state.
    private func watchJob(_ name: String, deadline: Deadline) async throws -> JobObject {
        let client = self.client
        let namespace = self.namespace
        let nameSelector = [("fieldSelector", "metadata.name=\(name)")]
        let watch = ResourceWatch<JobObject>(
            client: client, permission: .watchJob, namespace: namespace, selector: nameSelector, what: "job/\(name)", logger: logger,
            read: { reason, deadline in
                if reason == .afterGone {
                    let list = try await client.get(ObjectList<JobObject>.self, .listJobs, namespace: namespace, query: nameSelector, deadline: deadline)
                    return (list.items, list.metadata?.resourceVersion)
                }
                let job = try await client.get(JobObject.self, .getJob, namespace: namespace, name: name, deadline: deadline)
                return ([job], job.metadata.resourceVersion)
            })
        var last = ""
        return try await watch.run(deadline: deadline) { update -> JobObject? in
            let job: JobObject
            switch update {
            case .read(let jobs):
                guard let first = jobs.first else { throw deleted(name) }
                job = first
            case .added(let changed), .modified(let changed):
                job = changed
            case .deleted:
                throw deleted(name)
            }
            if job.finished != nil { return job }
            let status = job.status
            let counts = "active \(status?.active ?? 0), succeeded \(status?.succeeded ?? 0), failed \(status?.failed ?? 0)"
            if counts != last {
                last = counts
                logger.info("job/\(name): \(counts)")
            }
            return nil
        }
    }

    /// Follows the Job's pods as they appear and change, starting a log stream for every
    /// container that has started. Runs until cancelled.
    private func watchPods(_ selector: String, of job: String, followers: PodLogFollower, deadline: Deadline) async throws {
        let client = self.client
        let namespace = self.namespace
        let labelSelector = [("labelSelector", selector)]
        let watch = ResourceWatch<PodObject>(
            client: client, permission: .watchPods, namespace: namespace, selector: labelSelector, what: "pods of job/\(job)", logger: logger,
            read: { _, deadline in
                let list = try await client.get(ObjectList<PodObject>.self, .listPods, namespace: namespace, query: labelSelector, deadline: deadline)
                return (list.items, list.metadata?.resourceVersion)
            })
        let _: Bool = try await watch.run(deadline: deadline) { update -> Bool? in
            switch update {
            case .read(let pods): pods.forEach(followers.follow)
            case .added(let pod), .modified(let pod): followers.follow(pod)
            case .deleted: break
            }
            return nil
        }
    }

    private func listPods(_ selector: String, deadline: Deadline) async throws -> [PodObject] {
        try await client.get(ObjectList<PodObject>.self, .listPods, namespace: namespace, query: [("labelSelector", selector)], deadline: deadline)
            .items.sorted { $0.metadata.name < $1.metadata.name }
    }

    /// Deletes the Job and (in the background, by the garbage collector) its pods.
    private func delete(_ name: String) async throws {
        let options = Data(#"{"apiVersion":"v1","kind":"DeleteOptions","propagationPolicy":"Background"}"#.utf8)
        do {
            try await client.request(
                .deleteJob, namespace: namespace, name: name, body: options, contentType: "application/json",
                deadline: Deadline(budget: .seconds(30)))
        } catch let error as KubernetesError where error.kind == .notFound {
            logger.info("job/\(name) was already gone")
            return
        } catch let error as any TasterError {
            throw JobCleanupError(job: name, namespace: namespace, cause: error)
        }
        logger.info("deleted job/\(name) (propagationPolicy Background: its pods go with it)")
    }

    private func deleted(_ name: String) -> KubernetesError {
        KubernetesError(
            kind: .deleted, status: nil, permission: .getJob, namespace: namespace, name: name, method: "GET",
            url: "job/\(name)", serverMessage: nil, reason: nil, user: nil, credentials: client.credentialsOwner,
            advice: "something else deleted it before it finished")
    }

    private func notFinished(_ name: String, selector: String, timeout: Duration) async -> JobNotFinishedError {
        let deadline = Deadline(budget: .seconds(10))
        let job = try? await client.get(JobObject.self, .getJob, namespace: namespace, name: name, deadline: deadline)
        var pods: [String] = []
        var podsUnavailable: String?
        if !selector.isEmpty {
            do {
                pods = try await listPods(selector, deadline: deadline).map(PodDiagnostics.explain)
            } catch {
                podsUnavailable = "\(error)"
            }
        }
        return JobNotFinishedError(
            job: name, namespace: namespace, timeout: timeout, status: job?.status, pods: pods,
            podsUnavailable: podsUnavailable)
    }
}
