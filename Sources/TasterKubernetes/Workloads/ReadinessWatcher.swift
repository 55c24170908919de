import FoundationEssentials
import Logging
import Synchronization
import TasterCore
import TasterHTTP
import TasterSupport

/// Waits until Deployments and StatefulSets are ready at their replicas, deciding as
/// `kubectl rollout status` does (`WorkloadReadiness`), driven by a watch of each workload
/// (`fieldSelector=metadata.name=NAME`): every event is evaluated as it arrives, so taster
/// reacts within milliseconds of the API reporting readiness. All workloads are watched at once.
///
/// When the time is up — or a Deployment exceeds its progress deadline — it lists each unready
/// workload's pods by its selector and throws `WorkloadsNotReadyError` with one line per pod
/// saying why it is not ready.
package struct ReadinessWatcher: Sendable {
    package let client: KubernetesClient
    package let namespace: String
    let logger: Logger

    package init(client: KubernetesClient, namespace: String, logger: Logger) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
    }

    /// The last state seen of each workload, for the diagnostics.
    private final class Progress: Sendable {
        let seen = Mutex<[WorkloadTarget: (object: WorkloadObject, readiness: WorkloadReadiness)]>([:])
    }

    private struct TimedOut: Error {}
    private struct Failed: Error { let workload: WorkloadTarget }

    /// Waits until every workload is ready, at most `timeout` (and never past `deadline`);
    /// returns the seconds each took, counted from the call.
    package func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double] {
        guard !workloads.isEmpty else { return [:] }
        let started = ContinuousClock.now
        let limit = deadline.capped(timeout)
        // The timer below ends the wait at `limit` (never past the run's deadline); the watches get
        // a little longer so that they do not give up at the same instant with a less useful error.
        let watchDeadline = Deadline(budget: limit + .seconds(5))
        let progress = Progress()
        var finished: [WorkloadTarget: Double] = [:]
        var stop: (any Error)?
        do {
            try await withThrowingTaskGroup(of: (WorkloadTarget, Double)?.self) { group in
                for workload in workloads {
                    group.addTask { (workload, try await self.watch(workload, started: started, progress: progress, deadline: watchDeadline)) }
                }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                while let next = try await group.next() {
                    guard let (workload, seconds) = next else { throw TimedOut() }
                    finished[workload] = seconds
                    logger.info(
                        "\(workload.reference) is ready at \(workload.replicas) replica\(workload.replicas == 1 ? "" : "s") after \(TextFormatting.fixed(seconds, 2))s"
                    )
                    if finished.count == workloads.count {
                        group.cancelAll()
                        return
                    }
                }
            }
            return finished
        } catch {
            stop = error
        }
        switch stop {
        case is TimedOut:
            var error = await notReady(workloads.filter { finished[$0] == nil }, finished: finished, timeout: limit, progress: progress)
            if limit < timeout { error.deadlineBudget = deadline.budget }
            throw error
        case let failed as Failed:
            throw await notReady([failed.workload], finished: finished, timeout: nil, progress: progress)
        default:
            throw stop!
        }
    }

    /// Watches one workload until it is ready; returns the seconds since `started`.
    private func watch(
        _ workload: WorkloadTarget, started: ContinuousClock.Instant, progress: Progress,
        deadline: Deadline
    ) async throws -> Double {
        let client = self.client
        let namespace = self.namespace
        let nameSelector = [("fieldSelector", "metadata.name=\(workload.name)")]
        let advice = WorkloadScaler.notFoundAdvice(workload, namespace: namespace)
        let watch = ResourceWatch<WorkloadObject>(
            client: client, permission: .watchWorkload(workload.kind), namespace: namespace, selector: nameSelector,
            what: workload.reference, logger: logger,
            read: { reason, deadline in
                if reason == .afterGone {
                    // The object's own resourceVersion may be older than the server's watch history.
                    let list = try await client.get(
                        ObjectList<WorkloadObject>.self, .listWorkload(workload.kind), namespace: namespace,
                        query: nameSelector, deadline: deadline)
                    return (list.items, list.metadata?.resourceVersion)
                }
                let object = try await client.get(
                    WorkloadObject.self, .getWorkload(workload.kind), namespace: namespace,
                    name: workload.name, notFoundAdvice: advice, deadline: deadline)
                return ([object], object.metadata.resourceVersion)
            })
        var lastMessage = ""
        return try await watch.run(deadline: deadline) { update -> Double? in
            let object: WorkloadObject
            switch update {
            case .read(let objects):
                guard let first = objects.first else { throw self.deleted(workload, advice: advice) }
                object = first
            case .added(let changed), .modified(let changed):
                object = changed
            case .deleted:
                throw self.deleted(workload, advice: advice)
            }
            let readiness = WorkloadReadiness.evaluate(kind: workload.kind, object: object, target: workload.replicas)
            progress.seen.withLock { $0[workload] = (object, readiness) }
            if readiness.isReady { return started.duration(to: .now).seconds }
            if readiness.failure != nil { throw Failed(workload: workload) }
            if readiness.message != lastMessage {
                lastMessage = readiness.message
                logger.info("\(workload.reference): \(readiness.message)")
            }
            return nil
        }
    }

    private func deleted(_ workload: WorkloadTarget, advice: String) -> KubernetesError {
        KubernetesError(
            kind: .deleted, status: nil, permission: .getWorkload(workload.kind), namespace: namespace, name: workload.name,
            method: "GET", url: workload.reference, serverMessage: nil, reason: nil, user: nil,
            credentials: client.credentialsOwner, advice: advice)
    }

    /// The error for workloads that are not ready: what each waits for, and its pods' reasons.
    private func notReady(
        _ workloads: [WorkloadTarget], finished: [WorkloadTarget: Double], timeout: Duration?,
        progress: Progress
    ) async -> WorkloadsNotReadyError {
        // The run's deadline may be spent by now; listing pods still gets a few seconds.
        let deadline = Deadline(budget: .seconds(10))
        var entries: [WorkloadsNotReadyError.Workload] = []
        for workload in workloads {
            let seen = progress.seen.withLock { $0[workload] }
            var entry = WorkloadsNotReadyError.Workload(
                workload: workload, waitingFor: seen?.readiness.message ?? "its state was never read",
                failure: seen?.readiness.failure, pods: [], podsUnavailable: nil)
            if let selector = seen?.object.spec?.selector?.query, !selector.isEmpty {
                do {
                    let pods = try await client.get(
                        ObjectList<PodObject>.self, .listPods, namespace: namespace,
                        query: [("labelSelector", selector)], deadline: deadline)
                    entry.pods = pods.items.sorted { $0.metadata.name < $1.metadata.name }.map(PodDiagnostics.explain)
                } catch {
                    entry.podsUnavailable = "\(error)"
                }
            } else {
                entry.podsUnavailable = seen == nil ? "the workload itself could not be read" : "it has no label selector"
            }
            entries.append(entry)
        }
        let ready = finished.sorted { $0.key.reference < $1.key.reference }.map { (workload: $0.key, seconds: $0.value) }
        return WorkloadsNotReadyError(timeout: timeout, namespace: namespace, notReady: entries, ready: ready)
    }
}
