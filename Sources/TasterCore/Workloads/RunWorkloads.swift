import Logging
import Synchronization
import TasterSupport

/// The one owner of a run's workloads: reads each one's replicas once, scales it to its target,
/// remembers the replicas it had before every change, and puts those back under a budget of its
/// own — so they come back even after SIGTERM cancelled the run or its deadline ran out.
///
/// pre-taste, post-taste and restore each hold one. With nothing to scale (`TASTER_WORKLOADS`
/// empty) it needs no Kubernetes access: `control` is then nil, and so is anything to restore
/// unless the workflow was told of workloads a baseline recorded and the API is reachable.
package final class RunWorkloads: Sendable {
    /// `TASTER_WORKLOADS`: what to scale, and to how many replicas, while tasting.
    package let targets: [WorkloadTarget]
    private let control: (any WorkloadControl)?
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        /// The replicas each target had when this run first read it.
        var found: [WorkloadTarget: Int] = [:]
        /// What to put back, in the order it was learnt: the replicas before this run's change.
        var restore: [WorkloadTarget] = []
    }

    /// How long restoring may take when the run itself has no time left (Kubernetes waits 30 s
    /// after SIGTERM before SIGKILL).
    package static let restoreBudget: Duration = .seconds(20)

    package init(targets: [WorkloadTarget], control: (any WorkloadControl)?, logger: Logger) {
        self.targets = targets
        self.control = control
        self.logger = logger
    }

    /// What the targets' records say they had before this run, as read (pre-taste's records).
    package func replicasFound(_ target: WorkloadTarget) -> Int? {
        state.withLock { $0.found[target] }
    }

    /// Whether anything was changed that `restore` would put back.
    package var hasChanges: Bool { state.withLock { !$0.restore.isEmpty } }

    /// What `restore` would put back (each at its replicas before this run), in the order learnt.
    package var remembered: [WorkloadTarget] { state.withLock { $0.restore } }

    /// Leaves `workloads` to another run (the later of two overlapping syncs, whose restore puts
    /// them back): `restore` no longer does.
    package func handOver(_ workloads: [WorkloadTarget]) {
        state.withLock { state in
            state.restore.removeAll { remembered in workloads.contains { $0.reference == remembered.reference } }
        }
    }

    /// Remembers `workloads` at the replicas they must go back to (a baseline's record of them
    /// from before pre-taste); a later change of the same workload does not replace it.
    package func remember(_ workloads: [WorkloadTarget]) {
        state.withLock { state in
            for workload in workloads where !state.restore.contains(where: { $0.reference == workload.reference }) {
                state.restore.append(workload)
            }
        }
    }

    /// How the run found a target that is not at its replicas.
    package enum Found: Sendable {
        /// Before the sync (pre-taste): scaling up is the plan.
        case beforeSync
        /// After the sync (post-taste): the sync changed the replicas taster set; each change is
        /// a warning.
        case afterSync
    }

    /// Reads each target's replicas and scales those that differ to their target, remembering
    /// what they had. Returns the warnings (after a sync: each workload the sync had changed).
    @discardableResult
    package func scaleToTargets(_ found: Found, deadline: Deadline) async throws -> [String] {
        guard let control, !targets.isEmpty else { return [] }
        var warnings: [String] = []
        for target in targets {
            try deadline.check("reading the replicas of \(target.reference)")
            let replicas = try await control.replicas(of: target, deadline: deadline)
            state.withLock { state in
                if state.found[target] == nil { state.found[target] = replicas }
            }
            if replicas == target.replicas {
                if found == .beforeSync { logger.info("\(target.reference) already has \(replicas) replicas") }
                continue
            }
            if found == .afterSync {
                let warning =
                    "the sync left \(target.reference) at \(replicas) replicas; scaled it to \(target.replicas) again (add ignoreDifferences on /spec/replicas to the Application, see README)"
                logger.warning("\(warning)")
                warnings.append(warning)
            }
            remember([WorkloadTarget(kind: target.kind, name: target.name, replicas: replicas)])
            _ = try await control.scale(target, to: target.replicas, deadline: deadline)
            if found == .beforeSync { logger.info("scaled \(target.reference): \(replicas) → \(target.replicas) replicas") }
        }
        return warnings
    }

    /// Waits, watch-driven, until every target is ready; the seconds each took.
    package func waitUntilReady(timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double] {
        guard let control, !targets.isEmpty else { return [:] }
        return try await control.waitUntilReady(targets, timeout: timeout, deadline: deadline)
    }

    /// Puts back every remembered workload, in a task of its own with at least `restoreBudget`,
    /// so it still happens after a SIGTERM or the run's deadline. Returns the problems (empty
    /// when all succeeded); each is also logged.
    package func restore(runDeadline: Deadline) async -> [String] {
        let targets = state.withLock { $0.restore }
        guard !targets.isEmpty else { return [] }
        guard let control else {
            logger.warning(
                "cannot restore \(targets.map(\.description).joined(separator: ", ")): this run has no Kubernetes access (TASTER_WORKLOADS is empty); the SyncFail hook's `taster restore` can"
            )
            return []
        }
        let logger = self.logger
        let budget = max(runDeadline.remaining, Self.restoreBudget)
        let problems = try? await Interruption.uncancelled(budget: budget) { deadline in
            var problems: [String] = []
            for target in targets {
                do {
                    let before = try await control.scale(target, to: target.replicas, deadline: deadline)
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
package struct RestoreFailedError: TasterError {
    package let problems: [String]
    package init(problems: [String]) { self.problems = problems }
    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        problems.joined(separator: "; ") + " — run `taster restore` (the SyncFail hook) or scale the workloads back by hand"
    }
}
