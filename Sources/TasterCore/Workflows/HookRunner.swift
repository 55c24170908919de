import FoundationEssentials
import TasterSupport

/// Runs an Argo CD hook — pre-taste, post-taste, restore — the same way: the work, then what
/// people see of it. On success the outcome is announced (the Event on the hook's Job and the
/// notification, when the hook announces outcomes), presented (standard output) and written as
/// the termination message Argo CD shows on the hook; the exit code is the outcome's. On failure
/// the error is the termination message and, for the taste hooks, is announced; it is rethrown,
/// so its exit code ends the process.
package struct HookRunner: Sendable {
    package enum Hook: String, Sendable {
        case preTaste = "pre-taste"
        case postTaste = "post-taste"
        case restore

        /// Whether an error ending the hook is announced (the SyncFail hook's `restore` is what
        /// runs after a failed sync: its own failure is in its termination message).
        var announcesErrors: Bool { self != .restore }
    }

    package let hook: Hook
    /// The app the hook runs for, named in an announced error.
    package let app: String
    /// The workloads' namespace, a label of the run's metrics.
    package let namespace: String
    package let announcer: any Announcer
    /// Where the run's metrics go, whatever its outcome.
    package let metrics: any MetricsPublisher

    package init(hook: Hook, app: String, namespace: String = "default", announcer: any Announcer, metrics: any MetricsPublisher = NoMetrics()) {
        self.hook = hook
        self.app = app
        self.namespace = namespace
        self.announcer = announcer
        self.metrics = metrics
    }

    /// Builds what the hook needs before anything is touched; a failure (a bad checks file, a
    /// kubeconfig that cannot be used) is the hook's termination message, and is rethrown.
    /// With `failures`, the failure is also pushed as the run's metrics (`result="error"`), so a
    /// hook that could not even start is seen by the alerts, not left showing the last run's result.
    package static func prepare<Prepared>(
        _ hook: Hook, failures: HookRunner? = nil, _ build: () async throws -> Prepared
    ) async throws -> Prepared {
        do {
            return try await build()
        } catch {
            TerminationMessage.write(failure: error, command: hook.rawValue)
            if let failures {
                await failures.publish(failures.runMetrics(result: RunMetrics.Result(error: error), started: .now)).value
            }
            throw error
        }
    }

    /// Runs `work`, then announces, presents and records its outcome (metrics included, for an
    /// error too); returns its exit code.
    package func run<Outcome: HookOutcome>(
        _ work: () async throws -> Outcome,
        present: (Outcome) throws -> Void
    ) async throws -> TasterExitCode {
        let started = ContinuousClock.now
        let outcome: Outcome
        do {
            outcome = try await work()
            try Interruption.check()
        } catch {
            TerminationMessage.write(failure: error, command: hook.rawValue)
            let published = publish(runMetrics(result: RunMetrics.Result(error: error), started: started))
            if hook.announcesErrors {
                await announcer.announce(.error(summary: "taster: ERROR \(hook.rawValue) \(app): \(error)", runID: nil))
            }
            await published.value
            throw error
        }
        let record = runMetrics(
            result: outcome.metricResult, started: started, checks: outcome.metricChecks, verdict: outcome.announcement?.verdict)
        let published = publish(record)
        if let announcement = outcome.announcement { await announcer.announce(announcement) }
        await published.value
        do {
            try present(outcome)
        } catch {
            TerminationMessage.write(failure: error, command: hook.rawValue)
            throw error
        }
        TerminationMessage.write(outcome.summary)
        return outcome.exitCode
    }
}

extension HookRunner {
    /// Pushes in a task of its own: a run stopped by SIGTERM is cancelled, and its metrics
    /// (`interrupted`) must still go out.
    func publish(_ record: RunMetrics) -> Task<Void, Never> {
        Task { [metrics] in await metrics.publish(record) }
    }

    func runMetrics(
        result: RunMetrics.Result, started: ContinuousClock.Instant, checks: [RunMetrics.Check] = [], verdict: Verdict? = nil
    ) -> RunMetrics {
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return RunMetrics(
            phase: hook.rawValue, app: app, namespace: namespace, result: result, durationSeconds: seconds,
            endedAt: Date().timeIntervalSince1970, checks: checks, verdict: verdict)
    }
}

/// What a hook's workflow ends with.
package protocol HookOutcome: Sendable {
    /// The one-line summary: the termination message.
    var summary: String { get }
    /// 0 pass; 1 data changed; 3 the restore failed.
    var exitCode: TasterExitCode { get }
    /// What to tell people, if anything beyond the log (the verdict of post-taste).
    var announcement: Announcement? { get }
    /// The run's result for monitoring.
    var metricResult: RunMetrics.Result { get }
    /// The checks for monitoring: measured (pre-taste) or compared (post-taste).
    var metricChecks: [RunMetrics.Check] { get }
}

extension PreTasteWorkflow.Outcome: HookOutcome {
    package var exitCode: TasterExitCode { .pass }
    package var announcement: Announcement? { nil }
    package var metricResult: RunMetrics.Result { .pass }
    package var metricChecks: [RunMetrics.Check] { report.snapshot.checks.map(RunMetrics.Check.init(measured:)) }
}

extension PostTasteWorkflow.Outcome: HookOutcome {
    package var announcement: Announcement? { .verdict(verdict, reportURIs: reportURIs) }
    /// `fail` when data changed (even under `--report-only`), `error` when only the restore failed.
    package var metricResult: RunMetrics.Result {
        if verdict.result == .fail { return .fail }
        return restoreProblems.isEmpty ? .pass : .error
    }
    package var metricChecks: [RunMetrics.Check] { verdict.checks.map(RunMetrics.Check.init(compared:)) }
}

extension RestoreWorkflow.Outcome: HookOutcome {
    package var exitCode: TasterExitCode { .pass }
    package var announcement: Announcement? { nil }
    package var metricResult: RunMetrics.Result { .pass }
    package var metricChecks: [RunMetrics.Check] { [] }
}
