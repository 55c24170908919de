import Foundation
import Synchronization
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// Scaling and the watch-driven readiness wait against the API emulator's simulated controllers:
/// both kinds, the controller's delay, reaction time, pods that never get ready, watches that
/// drop or expire, and cancellation.
@Suite("Kubernetes workloads: scaling and readiness", .serialized)
struct WorkloadControlTests {
    let emulator: EmulatorControl
    let namespace = TestStack.uniqueName("wl")
    let sink = LogSink(buffer: true)

    init() throws {
        emulator = try EmulatorControl()
    }

    func control() throws -> KubernetesWorkloadControl {
        KubernetesWorkloadControl(
            client: try TestKube.client(KubernetesPermissions.hooks, sink: sink), namespace: namespace,
            logger: TestKube.logger(sink))
    }

    func deadline(_ seconds: Int = 30) -> Deadline { Deadline(budget: .seconds(seconds)) }

    @Test("scale a Deployment and a StatefulSet up and down through the scale subresource, recording the replicas found before")
    func scaleBothKinds() async throws {
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 0))
        try await emulator.create(EmulatorControl.statefulset("mongo", namespace, replicas: 1))
        let control = try control()
        let web = WorkloadTarget(kind: .deployment, name: "web", replicas: 3)
        let mongo = WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 2)
        #expect(try await control.replicas(of: web, deadline: deadline()) == 0, "a Scale at 0 has \"spec\": {}")
        #expect(try await control.scale(web, to: 3, deadline: deadline()) == 0)
        #expect(try await control.scale(mongo, to: 2, deadline: deadline()) == 1)
        #expect(try await control.replicas(of: web, deadline: deadline()) == 3)
        #expect(try await control.replicas(of: mongo, deadline: deadline()) == 2)
        #expect(try await control.scale(web, to: 0, deadline: deadline()) == 3)
        #expect(try await control.scale(mongo, to: 1, deadline: deadline()) == 2)
        #expect(try await control.scale(mongo, to: 1, deadline: deadline()) == 1, "already there: no PATCH")

        let patches = try await emulator.requests(["namespace": namespace, "method": "PATCH"])
        #expect(patches.count == 4)
        for patch in patches {
            #expect(patch["subresource"] as? String == "scale")
            #expect((patch["headers"] as? [String: Any])?["Content-Type"] as? String == "application/merge-patch+json")
        }
        let (_, deployment) = try await emulator.kube(.get, "/apis/apps/v1/namespaces/\(namespace)/deployments/web")
        #expect((deployment as? [String: Any])?["spec"].flatMap { ($0 as? [String: Any])?["replicas"] as? Int } == 0)
        try await emulator.reset(namespace: namespace)
    }

    @Test("waiting follows the controller: both kinds ready after their delay, without polling, seconds recorded; scaling to 0 too")
    func readyAfterDelay() async throws {
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 0))
        try await emulator.create(EmulatorControl.statefulset("mongo", namespace, replicas: 0))
        try await emulator.workload(namespace, "deployment", "web", ["readyDelaySeconds": 1.0])
        try await emulator.workload(namespace, "statefulset", "mongo", ["readyDelaySeconds": 0.5])
        let control = try control()
        let targets = [WorkloadTarget(kind: .deployment, name: "web", replicas: 2), WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 2)]
        let scaledAt = ContinuousClock.now
        for target in targets { _ = try await control.scale(target, to: target.replicas, deadline: deadline()) }
        let mark = try await emulator.mark()
        let seconds = try await control.waitUntilReady(targets, timeout: .seconds(20), deadline: deadline())
        #expect(scaledAt.duration(to: .now) >= .milliseconds(950), "the controller's 1 s delay was waited for")
        #expect(Set(seconds.keys) == Set(targets) && seconds.values.allSatisfy { $0 >= 0 }, "\(seconds)")

        // Watched, not polled: at most one GET and one watch per workload (none when already ready).
        let logged = try await emulator.requests(since: mark, ["namespace": namespace])
        let (_, web) = try await emulator.kube(.get, "/apis/apps/v1/namespaces/\(namespace)/deployments/web")
        #expect(((web as? [String: Any])?["status"] as? [String: Any])?["readyReplicas"] as? Int == 2, "ready when the wait returned")
        #expect(logged.filter { $0["verb"] as? String == "get" }.count == 2)
        let watches = logged.filter { $0["verb"] as? String == "watch" }
        #expect(watches.count <= 2)
        for watch in watches {
            let query = watch["query"] as? [String: Any] ?? [:]
            #expect((query["fieldSelector"] as? String)?.hasPrefix("metadata.name=") == true)
            #expect(query["resourceVersion"] != nil && query["allowWatchBookmarks"] as? String == "true")
        }
        #expect(sink.written.contains { $0.contains("deployment/web is ready at 2 replicas") })

        // Scaling to zero: ready when no replicas are left.
        for target in targets { _ = try await control.scale(target, to: 0, deadline: deadline()) }
        let down = targets.map { WorkloadTarget(kind: $0.kind, name: $0.name, replicas: 0) }
        #expect(try await control.waitUntilReady(down, timeout: .seconds(20), deadline: deadline()).count == 2)
        try await emulator.reset(namespace: namespace)
    }

    @Test("reaction time: the wait returns when the API reports readiness, from its watch (measured, written to taster-readiness-reaction.json)")
    func reactionTime() async throws {
        let tries = Int(ProcessInfo.processInfo.environment["TASTER_REACTION_TRIES"] ?? "") ?? 3
        let control = try control()
        var delays: [Double] = []
        for attempt in 0..<tries {
            let name = "web\(attempt)"
            try await emulator.workload(namespace, "deployment", name, ["readyDelaySeconds": NSNull()])
            try await emulator.create(EmulatorControl.deployment(name, namespace, replicas: 1))
            let target = WorkloadTarget(kind: .deployment, name: name, replicas: 1)
            let mark = try await emulator.mark()
            let returned = Mutex<Double?>(nil)
            let wait = Task {
                _ = try await control.waitUntilReady([target], timeout: .seconds(30), deadline: deadline())
                returned.withLock { $0 = Date().timeIntervalSince1970 }
            }
            try await waitUntil { try await !emulator.requests(since: mark, ["namespace": namespace, "verb": "watch"]).isEmpty }
            try await Task.sleep(for: .milliseconds(150)) // let the wait settle into its watch
            let readyAt = try await emulator.ready(namespace, "deployment", name)
            try await wait.value
            delays.append(try #require(returned.withLock { $0 }) - readyAt)
            // Watch-driven, not polled: one GET for the resourceVersion, then the one watch.
            let verbs = try await emulator.requests(since: mark, ["namespace": namespace]).filter {
                $0["name"] as? String == name || ($0["query"] as? [String: Any])?["fieldSelector"] as? String == "metadata.name=\(name)"
            }.map { $0["verb"] as? String ?? "" }
            #expect(verbs == ["get", "watch"])
        }
        let sorted = delays.sorted()
        func ms(_ seconds: Double) -> Double { (seconds * 10_000).rounded() / 10 }
        let numbers: [String: Any] = [
            "tries": delays.count, "p50_ms": ms(sorted[sorted.count / 2]), "max_ms": ms(sorted.last ?? 0),
            "all_ms": delays.map(ms),
        ]
        if let run = ProcessInfo.processInfo.environment["TESTENV_RUN"] {
            let data = try JSONSerialization.data(withJSONObject: numbers, options: [.prettyPrinted, .sortedKeys])
            try data.write(to: URL(fileURLWithPath: run).appendingPathComponent("taster-readiness-reaction.json"))
        }
        print("taster readiness reaction after the emulator marked ready: \(numbers)")
        // Not a timed test: other suites running at once on two cores can hold the process up, so
        // only a gross bound here; scripts/measure-reaction.sh measures on a quiet machine.
        #expect(delays.allSatisfy { $0 >= 0 && $0 < 5 }, "\(delays)")
        try await emulator.reset(namespace: namespace)
    }

    @Test("pods that never get ready: the timeout lists each pod's reason (ImagePullBackOff, CrashLoopBackOff and its OOMKill)")
    func neverReady() async throws {
        try await emulator.workload(namespace, "deployment", "web", ["unready": ["reason": "ImagePullBackOff"]])
        try await emulator.workload(
            namespace, "statefulset", "mongo",
            ["unready": ["reason": "CrashLoopBackOff", "lastTerminationReason": "OOMKilled", "exitCode": 137]])
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))
        try await emulator.create(EmulatorControl.statefulset("mongo", namespace, replicas: 1))
        let control = try control()
        let targets = [WorkloadTarget(kind: .deployment, name: "web", replicas: 1), WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 1)]
        let started = ContinuousClock.now
        let error = try await #require(throws: WorkloadsNotReadyError.self) {
            _ = try await control.waitUntilReady(targets, timeout: .milliseconds(1500), deadline: deadline())
        }
        #expect(started.duration(to: .now) < .seconds(10))
        #expect(error.exitCode == .dependency)
        let text = error.description
        #expect(text.hasPrefix("deployment/web, statefulset/mongo not ready within 1.5s in namespace \"\(namespace)\":"), "\(text)")
        #expect(text.contains(#"deployment/web (1 replica): Waiting for deployment "web" rollout to finish: 0 of 1 updated replicas are ready..."#), "\(text)")
        #expect(text.contains("container web waiting: ImagePullBackOff"), "\(text)")
        #expect(text.contains("pod mongo-0: container mongo waiting: CrashLoopBackOff"), "\(text)")
        #expect(text.contains("last terminated: OOMKilled (exit 137)"), "\(text)")
        #expect(text.hasSuffix("or raise TASTER_READY_TIMEOUT if they only need longer."))
        try await emulator.reset(namespace: namespace)
    }

    @Test("when the run's deadline, not TASTER_READY_TIMEOUT, ends the wait, the message says to raise TASTER_DEADLINE")
    func deadlineEndsTheWait() async throws {
        try await emulator.workload(namespace, "deployment", "web", ["unready": ["reason": "ImagePullBackOff"]])
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))
        let error = try await #require(throws: WorkloadsNotReadyError.self) {
            _ = try await control().waitUntilReady(
                [WorkloadTarget(kind: .deployment, name: "web", replicas: 1)], timeout: .seconds(300),
                deadline: Deadline(budget: .milliseconds(1500)))
        }
        let text = error.description
        #expect(text.contains("all that was left of the run's deadline (TASTER_DEADLINE 1.5s)"), "\(text)")
        #expect(text.hasSuffix("or raise TASTER_DEADLINE (and TASTER_READY_TIMEOUT with it) if they only need longer."), "\(text)")
        try await emulator.reset(namespace: namespace)
    }

    @Test("a Deployment past its progress deadline fails at once, with its pods' reasons")
    func progressDeadline() async throws {
        try await emulator.workload(namespace, "deployment", "web", ["unready": ["reason": "ErrImagePull"]])
        var deployment = EmulatorControl.deployment("web", namespace, replicas: 1)
        var spec = deployment["spec"] as! [String: Any]
        spec["progressDeadlineSeconds"] = 1
        deployment["spec"] = spec
        try await emulator.create(deployment)
        let started = ContinuousClock.now
        let error = try await #require(throws: WorkloadsNotReadyError.self) {
            _ = try await control().waitUntilReady([WorkloadTarget(kind: .deployment, name: "web", replicas: 1)], timeout: .seconds(20), deadline: deadline())
        }
        #expect(started.duration(to: .now) < .seconds(10))
        #expect(error.timeout == nil)
        #expect(error.description.contains(#"deployment "web" exceeded its progress deadline"#), "\(error)")
        #expect(error.description.contains("ErrImagePull"), "\(error)")
        try await emulator.reset(namespace: namespace)
    }

    @Test("a dropped watch, a 410 (as an answer and as an ERROR event) and a 500 are ridden out: read again, watch again")
    func watchFaults() async throws {
        let control = try control()
        let faults: [(String, [String: Any])] = [
            ("drop", ["action": "drop-watch", "afterEvents": 0]),
            ("gone", ["action": "status", "code": 410]),
            ("expire", ["action": "expire-watch"]),
            ("fail", ["action": "status", "code": 500]),
        ]
        for (name, fault) in faults {
            try await emulator.workload(namespace, "deployment", name, ["readyDelaySeconds": NSNull()])
            try await emulator.create(EmulatorControl.deployment(name, namespace, replicas: 1))
            var scoped = fault
            scoped["watch"] = true
            scoped["count"] = 1
            scoped["pathRegex"] = "namespaces/\(namespace)/deployments\\?.*metadata\\.name%3D\(name)(&|$)"
            try await emulator.fault(scoped)
            let mark = try await emulator.mark()
            let wait = Task {
                try await control.waitUntilReady([WorkloadTarget(kind: .deployment, name: name, replicas: 1)], timeout: .seconds(20), deadline: deadline())
            }
            func logged() async throws -> [[String: Any]] {
                try await emulator.requests(since: mark, ["namespace": namespace]).filter {
                    ($0["name"] as? String == name) || ($0["query"] as? [String: Any])?["fieldSelector"] as? String == "metadata.name=\(name)"
                }
            }
            try await waitUntil { try await logged().contains { $0["verb"] as? String == "watch" } }
            if name == "drop" {
                // The dropped watch is cut at its first event: make one that does not finish the rollout.
                _ = try await emulator.kube(
                    .patch, "/apis/apps/v1/namespaces/\(namespace)/deployments/\(name)",
                    ["metadata": ["annotations": ["poke": "1"]]], contentType: "application/merge-patch+json")
            }
            try await waitUntil { try await logged().filter { $0["verb"] as? String == "watch" }.count >= 2 }
            _ = try await emulator.ready(namespace, "deployment", name)
            #expect(try await wait.value.count == 1, "\(name)")
            let requests = try await logged()
            if name == "gone" || name == "expire" {
                #expect(requests.contains { $0["verb"] as? String == "list" }, "\(name): a LIST for a current resourceVersion")
            } else {
                #expect(requests.filter { $0["verb"] as? String == "get" }.count == 2, "\(name): read again with a GET")
            }
        }
        try await emulator.reset(namespace: namespace)
    }

    @Test("cancelling a wait (SIGTERM) ends it within seconds, not the wait's 60")
    func cancellation() async throws {
        try await emulator.workload(namespace, "deployment", "web", ["readyDelaySeconds": NSNull()])
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))
        let control = try control()
        let mark = try await emulator.mark()
        let wait = Task {
            try await control.waitUntilReady([WorkloadTarget(kind: .deployment, name: "web", replicas: 1)], timeout: .seconds(60), deadline: deadline(60))
        }
        try await waitUntil { try await !emulator.requests(since: mark, ["namespace": namespace, "verb": "watch"]).isEmpty }
        let cancelled = ContinuousClock.now
        wait.cancel()
        let result = await wait.result
        let took = cancelled.duration(to: .now)
        // The wait itself lasts 60 s; the bound leaves room for a busy machine.
        #expect(took < .seconds(4), "stopped \(took) after cancellation")
        #expect(throws: CancellationError.self) { try result.get() }
        try await emulator.reset(namespace: namespace)
    }

    private func waitUntil(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: timeout)
        while try await !condition() {
            guard ContinuousClock.now < end else { throw TestFailure("condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
