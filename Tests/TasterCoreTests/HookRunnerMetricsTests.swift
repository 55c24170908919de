import Synchronization
import Testing

@testable import TasterCore
@testable import TasterSupport

/// The hook runner publishes every run's metrics: the outcome's, or the error's result.
@Suite("Hook runner metrics")
struct HookRunnerMetricsTests {
    final class Recorder: MetricsPublisher {
        let published = Mutex<[RunMetrics]>([])
        func publish(_ metrics: RunMetrics) async { published.withLock { $0.append(metrics) } }
    }

    struct Quiet: Announcer {
        func announce(_ announcement: Announcement) async {}
    }

    @Test("a restore that worked is pass; an error is error, no_baseline for a missing baseline; each once, with its phase and labels")
    func results() async throws {
        let recorder = Recorder()
        let runner = HookRunner(hook: .restore, app: "shop", namespace: "stage", announcer: Quiet(), metrics: recorder)
        let code = try await runner.run({ RestoreWorkflow.Outcome(runID: "r1", restored: [], summary: "done") }, present: { _ in })
        #expect(code == .pass)
        await #expect(throws: NoBaselineError.self) {
            _ = try await runner.run({ () async throws -> RestoreWorkflow.Outcome in throw NoBaselineError(message: "none") }, present: { _ in })
        }
        struct Down: TasterError {
            var exitCode: TasterExitCode { .dependency }
            var description: String { "S3 down" }
        }
        await #expect(throws: Down.self) {
            _ = try await runner.run({ () async throws -> RestoreWorkflow.Outcome in throw Down() }, present: { _ in })
        }
        let published = recorder.published.withLock { $0 }
        #expect(published.map(\.result) == [.pass, .noBaseline, .error])
        #expect(published.allSatisfy { $0.phase == "restore" && $0.app == "shop" && $0.namespace == "stage" && $0.durationSeconds >= 0 })
    }

    @Test("a hook that fails while it is wired pushes result error, so the alerts see it")
    func setupFailure() async throws {
        let recorder = Recorder()
        let failures = HookRunner(hook: .postTaste, app: "shop", namespace: "stage", announcer: Quiet(), metrics: recorder)
        struct BadChecks: TasterError {
            var exitCode: TasterExitCode { .usage }
            var description: String { "TASTER_CHECKS: not a checks file" }
        }
        await #expect(throws: BadChecks.self) {
            _ = try await HookRunner.prepare(.postTaste, failures: failures) { () async throws -> Int in throw BadChecks() }
        }
        let published = recorder.published.withLock { $0 }
        #expect(published.map(\.result) == [.error])
        #expect(published.first?.phase == "post-taste" && published.first?.app == "shop")
        #expect(try await HookRunner.prepare(.postTaste, failures: failures) { 7 } == 7)
        #expect(recorder.published.withLock { $0.count } == 1)
    }
}
