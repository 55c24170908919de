import Foundation
import Synchronization
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// `taster await-job` against the API emulator's Job controller: success with streamed logs and
/// the Job deleted, failure with the Job kept, `--keep`, several containers, timeouts, and the
/// command's exit codes.
@Suite("await-job", .serialized)
struct AwaitJobTests {
    let emulator: EmulatorControl
    let namespace = TestStack.uniqueName("aj")
    let sink = LogSink(buffer: true)

    init() throws {
        emulator = try EmulatorControl()
    }

    /// Log lines as printed, with the time each arrived.
    final class Printed: Sendable {
        let lines = Mutex<[(time: ContinuousClock.Instant, text: String)]>([])
        var texts: [String] { lines.withLock { $0.map(\.text) } }
        func append(_ text: String) { lines.withLock { $0.append((.now, text)) } }
    }

    func watcher(_ printed: Printed) throws -> JobWatcher {
        JobWatcher(
            client: try TestKube.client(KubernetesPermissions.awaitJob, sink: sink), namespace: namespace,
            logger: TestKube.logger(sink), output: { printed.append($0) })
    }

    func pods(ofJob name: String) async throws -> [[String: Any]] {
        let (_, answer) = try await emulator.kube(.get, "/api/v1/namespaces/\(namespace)/pods?labelSelector=job-name%3D\(name)")
        return (answer as? [String: Any])?["items"] as? [[String: Any]] ?? []
    }

    @Test("a succeeded Job: its log streamed while it runs, prefixed pod/container; then deleted with its pods (Background)")
    func succeeded() async throws {
        let lines = ["collecting 6 tests"] + ["a", "b", "c", "d", "e", "f"].map { "test_\($0) PASSED" }
        try await emulator.job(namespace, "tests", ["outcome": "succeed", "logs": lines, "lineIntervalSeconds": 1.5])
        try await emulator.create(EmulatorControl.job("tests", namespace))
        let printed = Printed()
        let outcome = try await watcher(printed).run(job: "tests", timeout: .seconds(30), cleanup: .deleteOnSuccess)
        #expect(outcome.deleted && outcome.succeededPods == 1)
        #expect(outcome.summary.hasPrefix("job/tests in namespace \"\(namespace)\" succeeded (1 pod succeeded) after "))
        let texts = printed.texts
        let pod = try #require(texts.first?.split(separator: "/").first.map(String.init))
        #expect(pod.hasPrefix("tests-"))
        #expect(texts == lines.map { "\(pod)/test | \($0)" })
        // Written 1.5 s apart over 9 s: printed as they came, not in one burst at the end (even
        // when the stream started several seconds late on a busy machine: one started after 4.8 s).
        let times = printed.lines.withLock { $0.map(\.time) }
        let spread = try #require(times.first).duration(to: try #require(times.last))
        #expect(spread > .milliseconds(1200), "the lines arrived within \(spread)")

        let (status, _) = try await emulator.kube(.get, "/apis/batch/v1/namespaces/\(namespace)/jobs/tests")
        #expect(status == 404)
        let deletes = try await emulator.requests(["namespace": namespace, "method": "DELETE"])
        #expect(deletes.count == 1)
        try await waitUntil { try await pods(ofJob: "tests").isEmpty }
        try await emulator.reset(namespace: namespace)
    }

    @Test("a failed Job: every attempt's log, the failure and each pod's end; kept for debugging; exit 1")
    func failed() async throws {
        try await emulator.job(namespace, "tests", ["outcome": "fail", "logs": ["test_a FAILED"], "exitCode": 2])
        try await emulator.create(EmulatorControl.job("tests", namespace, backoffLimit: 1))
        let printed = Printed()
        let error = try await #require(throws: JobFailedError.self) {
            _ = try await watcher(printed).run(job: "tests", timeout: .seconds(30), cleanup: .deleteOnSuccess)
        }
        #expect(error.exitCode == .integrityFailure && error.exitCode.rawValue == 1)
        #expect(error.failedPods == 2)
        #expect(
            error.description.hasPrefix(
                #"job/tests in namespace "\#(namespace)" failed: BackoffLimitExceeded — Job has reached the specified backoff limit (2 pods failed)"#),
            "\(error)")
        #expect(error.pods.count == 2 && error.pods.allSatisfy { $0.contains("container test terminated: Error (exit 2)") }, "\(error.pods)")
        #expect(error.description.contains("The Job was kept for debugging"))
        let texts = printed.texts
        #expect(texts.count == 2 && texts.allSatisfy { $0.hasSuffix("/test | test_a FAILED") }, "\(texts)")
        #expect(Set(texts.map { $0.split(separator: "/")[0] }).count == 2, "both attempts' logs")
        let (status, _) = try await emulator.kube(.get, "/apis/batch/v1/namespaces/\(namespace)/jobs/tests")
        #expect(status == 200, "kept")
        try await emulator.reset(namespace: namespace)
    }

    @Test("--keep keeps a succeeded Job; several containers each get their own prefix")
    func keepAndContainers() async throws {
        try await emulator.job(namespace, "smoke", ["outcome": "succeed", "logs": ["api": ["GET /health 200"], "db": ["ping ok"]]])
        try await emulator.create(EmulatorControl.job("smoke", namespace, containers: ["api", "db"]))
        let printed = Printed()
        let outcome = try await watcher(printed).run(job: "smoke", timeout: .seconds(30), cleanup: .keep)
        #expect(!outcome.deleted)
        let texts = printed.texts.map { $0.drop { $0 != "/" } }
        #expect(Set(texts) == ["/api | GET /health 200", "/db | ping ok"], "\(printed.texts)")
        let (status, _) = try await emulator.kube(.get, "/apis/batch/v1/namespaces/\(namespace)/jobs/smoke")
        #expect(status == 200)
        try await emulator.reset(namespace: namespace)
    }

    @Test("a succeeded Job that cannot be deleted: exit 3, saying it succeeded and that it must go before the next run")
    func cleanupForbidden() async throws {
        let (token, user) = try await TestKube.identity(emulator)
        try await emulator.addRule(["effect": "deny", "verbs": ["delete"], "resources": ["jobs"], "namespaces": [namespace], "users": [user]])
        try await emulator.job(namespace, "tests", ["outcome": "succeed", "logs": ["ok"]])
        try await emulator.create(EmulatorControl.job("tests", namespace))
        let printed = Printed()
        let watcher = JobWatcher(
            client: try TestKube.client(KubernetesPermissions.awaitJob, token: token, sink: sink), namespace: namespace,
            logger: TestKube.logger(sink), output: { printed.append($0) })
        let error = try await #require(throws: JobCleanupError.self) {
            _ = try await watcher.run(job: "tests", timeout: .seconds(30), cleanup: .deleteOnSuccess)
        }
        #expect(error.exitCode == .dependency)
        #expect(
            error.description.hasPrefix(
                #"job/tests in namespace "\#(namespace)" succeeded, but deleting it failed: Kubernetes API refused to delete jobs "tests""#))
        #expect(error.description.contains(#"verbs: ["delete"]"#) && error.description.contains("kubectl delete job tests -n \(namespace)"))

        // Waiting again for the finished Job passes at once, with a warning that it may be left over.
        let again = try await watcher.run(job: "tests", timeout: .seconds(10), cleanup: .keep)
        #expect(!again.deleted)
        #expect(sink.written.contains { $0.contains("job/tests had already finished (Complete since ") })
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(token)
    }

    @Test("a Job still running at the timeout: exit 3 naming its pods, the Job left alone; a missing Job says how to create it")
    func timeoutAndMissing() async throws {
        try await emulator.job(namespace, "slow", ["outcome": "succeed", "runSeconds": 30, "logs": ["warming up"]])
        try await emulator.create(EmulatorControl.job("slow", namespace))
        let printed = Printed()
        let started = ContinuousClock.now
        let error = try await #require(throws: JobNotFinishedError.self) {
            _ = try await watcher(printed).run(job: "slow", timeout: .seconds(3), cleanup: .deleteOnSuccess)
        }
        #expect(started.duration(to: .now) < .seconds(12))
        #expect(error.exitCode == .dependency)
        #expect(error.description.hasPrefix(#"job/slow in namespace "\#(namespace)" did not finish within 3s (active 1, succeeded 0, failed 0)"#), "\(error)")
        #expect(error.pods.count == 1 && error.description.contains("  pod slow-"), "\(error)")
        #expect(printed.texts.contains { $0.hasSuffix("/test | warming up") })
        let (status, _) = try await emulator.kube(.get, "/apis/batch/v1/namespaces/\(namespace)/jobs/slow")
        #expect(status == 200)

        let missing = try await #require(throws: KubernetesError.self) {
            _ = try await watcher(printed).run(job: "nope", timeout: .seconds(5), cleanup: .deleteOnSuccess)
        }
        #expect(missing.kind == .notFound && missing.exitCode == .dependency)
        #expect(missing.description.contains("create it first (kubectl apply -f …)"))
        try await emulator.reset(namespace: namespace)
    }

    @Test("a dropped Job watch and a dropped pod watch are ridden out; no log line is printed twice")
    func droppedWatches() async throws {
        try await emulator.job(
            namespace, "tests",
            [
                "outcome": "succeed", "logs": ["one", "two", "three"], "lineIntervalSeconds": 0.2,
                "runSeconds": 2,
            ])
        let jobFault = try await emulator.fault([
            "path": "/apis/batch/v1/namespaces/\(namespace)/jobs", "watch": true, "action": "drop-watch", "afterEvents": 0,
        ])
        let podFault = try await emulator.fault(["path": "/api/v1/namespaces/\(namespace)/pods", "watch": true, "action": "drop-watch", "afterEvents": 0])
        try await emulator.create(EmulatorControl.job("tests", namespace))
        let printed = Printed()
        let outcome = try await watcher(printed).run(job: "tests", timeout: .seconds(30), cleanup: .deleteOnSuccess)
        #expect(outcome.deleted)
        #expect(printed.texts.map { String($0.drop { $0 != "|" }) } == ["| one", "| two", "| three"])
        let left = try await emulator.call(.get, "/_emulator/faults") as? [String: Any]
        let ids = (left?["items"] as? [[String: Any]] ?? []).map { "\($0["id"] ?? "")" }
        #expect(!ids.contains(jobFault) && !ids.contains(podFault), "both watches were cut")
        try await emulator.reset(namespace: namespace)
    }

    @Test("the taster binary: await-job exits 0 when the Job succeeded, 1 when it failed, 3 when it is missing; logs on standard output")
    func command() async throws {
        try await emulator.job(namespace, "good", ["outcome": "succeed", "logs": ["all green"]])
        try await emulator.job(namespace, "bad", ["outcome": "fail", "logs": ["all red"]])
        try await emulator.create(EmulatorControl.job("good", namespace))
        try await emulator.create(EmulatorControl.job("bad", namespace))
        let good = try await run(["await-job", "good", "--namespace", namespace])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.hasSuffix("/test | all green\n"), "\(good.stdout)")
        #expect(good.stderr.contains("succeeded (1 pod succeeded)") && good.stderr.contains("deleted it and its pods"), "\(good.stderr)")
        let bad = try await run(["await-job", "bad", "--namespace", namespace, "--keep"])
        #expect(bad.status == 1, "\(bad.stderr)")
        #expect(bad.stderr.contains("error: job/bad in namespace \"\(namespace)\" failed: BackoffLimitExceeded"), "\(bad.stderr)")
        let missing = try await run(["await-job", "missing", "--namespace", namespace, "--timeout", "10s"])
        #expect(missing.status == 3, "\(missing.stderr)")
        let token = try TestStack.value("TESTENV_KUBE_TOKEN")
        #expect(![good, bad, missing].contains { $0.stdout.contains(token) || $0.stderr.contains(token) })
        try await emulator.reset(namespace: namespace)
    }

    /// Runs the `taster` built next to the tests with the stack's kubeconfig.
    private func run(_ arguments: [String]) async throws -> TestCommand.Result {
        try await TasterBinary.run(arguments, environment: ["KUBECONFIG": try TestStack.value("KUBECONFIG")])
    }

    private func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: timeout)
        while try await !condition() {
            guard ContinuousClock.now < end else { throw TestFailure("condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
