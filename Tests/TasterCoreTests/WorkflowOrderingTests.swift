import FoundationEssentials
import Logging
import Synchronization
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterNotify
@testable import TasterSupport

/// The workflows' ordering with in-memory ports: what is put back after each failing step, what
/// is never written after a failure, and that a cancelled run never ends in a pass. Fast and
/// deterministic; the end-to-end tests (testenv/tests, the campaign) prove the same against the
/// real servers.
@Suite("Workflow ordering (in-memory ports)")
struct WorkflowOrderingTests {
    /// Where a fake fails.
    enum Step: String, CaseIterable, Sendable {
        case readReplicas, scale, waitReady, waitDatabase, snapshot, uploadPre, uploadPointer, uploadPost, uploadVerdict
    }

    struct Injected: Error, CustomStringConvertible {
        let step: Step
        var description: String { "injected failure at \(step.rawValue)" }
    }

    // MARK: - In-memory ports

    /// A Kubernetes stand-in: replicas per workload, every call recorded.
    final class Workloads: WorkloadControl, Sendable {
        let failing: Step?
        let replicas = Mutex<[String: Int]>([:])
        let calls = Mutex<[String]>([])

        init(_ replicas: [String: Int], failing: Step? = nil) {
            self.failing = failing
            self.replicas.withLock { $0 = replicas }
        }

        func replicas(of workload: WorkloadTarget, deadline: Deadline) async throws -> Int {
            calls.withLock { $0.append("read \(workload.reference)") }
            if failing == .readReplicas { throw Injected(step: .readReplicas) }
            return replicas.withLock { $0[workload.reference] ?? 0 }
        }

        func scale(_ workload: WorkloadTarget, to count: Int, deadline: Deadline) async throws -> Int {
            calls.withLock { $0.append("scale \(workload.reference)=\(count)") }
            // Only the scale-up fails: putting back must work for the test to see it.
            if failing == .scale && count > 0 { throw Injected(step: .scale) }
            return replicas.withLock { state in
                defer { state[workload.reference] = count }
                return state[workload.reference] ?? 0
            }
        }

        func waitUntilReady(_ workloads: [WorkloadTarget], timeout: Duration, deadline: Deadline) async throws -> [WorkloadTarget: Double] {
            calls.withLock { $0.append("wait ready") }
            if failing == .waitReady { throw Injected(step: .waitReady) }
            return Dictionary(uniqueKeysWithValues: workloads.map { ($0, 0.1) })
        }
    }

    /// A database stand-in: one count, or a failure; `hangs` waits until cancelled.
    struct Database: DatabaseSnapshotting {
        var engine: String { "MongoDB" }
        var name: String { "shop" }
        let count: Int64
        let failing: Step?
        var hangs = false

        func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws {
            if failing == .waitDatabase { throw Injected(step: .waitDatabase) }
        }

        func snapshot(asOf: Date?, refusingMissing: Bool, deadline: Deadline) async throws -> Snapshot {
            if hangs {
                while true { try await Task.sleep(for: .milliseconds(10)) }
            }
            if failing == .snapshot { throw Injected(step: .snapshot) }
            let check = CheckResult(
                name: "orders", kind: .count, database: "shop", collection: "orders", value: .int64(count),
                durationSeconds: 0.01)
            return Snapshot(
                database: "shop", serverVersion: "7.0", takenAt: Timestamp.rfc3339(Date().addingTimeInterval(-1)),
                clock: "server", durationSeconds: 0.01, checks: [check])
        }
    }

    /// A bucket stand-in: objects by key, create-only honoured, failures by which file is written.
    final class Store: ReportStore, Sendable {
        let failing: Step?
        let objects = Mutex<[String: Data]>([:])
        /// How many times a prefix was listed.
        let listings = Mutex(0)

        init(failing: Step? = nil) { self.failing = failing }

        func put(_ key: String, data: Data, contentType: String, createOnly: Bool) async throws {
            let step: Step? =
                switch key {
                case _ where key.hasSuffix("/pre.json"): .uploadPre
                case _ where key.hasSuffix("/latest-pre.json"): .uploadPointer
                case _ where key.hasSuffix("/post.json"): .uploadPost
                case _ where key.hasSuffix("/verdict.json"): .uploadVerdict
                default: nil
                }
            if let step, step == failing { throw Injected(step: step) }
            try objects.withLock { objects in
                if createOnly && objects[key] != nil { throw Injected(step: step ?? .uploadPre) }
                objects[key] = data
            }
        }

        func get(_ key: String, maxBytes: Int) async throws -> Data? { objects.withLock { $0[key] } }
        func exists(_ key: String) async throws -> Bool { objects.withLock { $0[key] != nil } }
        func list(prefix: String) async throws -> [StoredObject] {
            listings.withLock { $0 += 1 }
            return objects.withLock { $0.filter { $0.key.hasPrefix(prefix) }.map { StoredObject(key: $0.key, size: $0.value.count, lastModified: nil) } }
        }
        func uri(for key: String) -> String { "s3://reports/\(key)" }
        var keys: [String] { objects.withLock { $0.keys.sorted() } }
    }

    // MARK: - Wiring

    static let targets = [
        WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 1),
        WorkloadTarget(kind: .deployment, name: "web", replicas: 2),
    ]
    static let layout = ReportLayout(prefix: "taster/shop/shop")

    static func context(deadline: Duration = .seconds(30)) -> TasteContext {
        let summary = SettingsSummary(
            mongodb: nil, database: "shop", collections: ["orders"], checksFile: nil, workloads: [],
            bucket: "reports", prefix: layout.prefix, endpoint: nil, deadline: "30s",
            readyTimeout: "10s", mongoWait: "10s")
        return TasteContext(
            deadline: Deadline(budget: deadline), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            namespace: "shop", app: "shop", layout: layout, readyTimeout: .seconds(10), databaseWait: .seconds(10),
            settingsSummary: summary, environment: Environment(["POD_NAME": "test"]))
    }

    static func runWorkloads(_ control: Workloads, targets: [WorkloadTarget] = targets) -> RunWorkloads {
        RunWorkloads(targets: targets, control: control, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static let scaledDown = ["statefulset/mongo": 0, "deployment/web": 0]

    static func preTaste(workloads: Workloads, database: Database, store: Store, runID: String = "run-1") async throws -> PreTasteWorkflow.Outcome {
        try await PreTasteWorkflow(
            context: context(), runID: runID, workloads: runWorkloads(workloads),
            database: database, store: store
        ).run()
    }

    // MARK: - pre-taste

    static let preSteps: [Step] = [.readReplicas, .scale, .waitReady, .waitDatabase, .snapshot, .uploadPre, .uploadPointer]

    @Test("pre-taste: a failure at any step puts back every workload it scaled, and no pointer names the run", arguments: preSteps)
    func preTasteFailure(step: Step) async throws {
        let workloads = Workloads(Self.scaledDown, failing: [.readReplicas, .scale, .waitReady].contains(step) ? step : nil)
        let database = Database(count: 10, failing: [.waitDatabase, .snapshot].contains(step) ? step : nil)
        let store = Store(failing: [.uploadPre, .uploadPointer].contains(step) ? step : nil)
        await #expect(throws: (any Error).self) { try await Self.preTaste(workloads: workloads, database: database, store: store) }
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown, "replicas not put back after \(step)")
        #expect(!store.keys.contains(Self.layout.latestPreKey), "a pointer was written although \(step) failed")
        if step != .uploadPointer {
            #expect(store.keys.isEmpty, "something was stored although \(step) failed: \(store.keys)")
        }
    }

    @Test("pre-taste: the baseline is stored before the pointer moves to it; the workloads stay up for the sync")
    func preTasteOrder() async throws {
        let workloads = Workloads(Self.scaledDown)
        let store = Store()
        let outcome = try await Self.preTaste(workloads: workloads, database: Database(count: 10, failing: nil), store: store)
        #expect(store.keys == [Self.layout.latestPreKey, Self.layout.key(.pre, run: "run-1")])
        #expect(outcome.report.workloads.map(\.replicasBefore) == [0, 0])
        #expect(workloads.replicas.withLock { $0 } == ["statefulset/mongo": 1, "deployment/web": 2])
        #expect(workloads.calls.withLock { $0 }.last == "wait ready", "scaled, then waited; nothing scaled back")
    }

    @Test("pre-taste: a run id already used is refused before anything is touched")
    func preTasteRunIDTaken() async throws {
        let workloads = Workloads(Self.scaledDown)
        let store = Store()
        _ = try await Self.preTaste(workloads: workloads, database: Database(count: 10, failing: nil), store: store)
        let again = Workloads(Self.scaledDown)
        await #expect(throws: RunIDTakenError.self) {
            try await Self.preTaste(workloads: again, database: Database(count: 10, failing: nil), store: store)
        }
        #expect(again.calls.withLock { $0 }.isEmpty)
    }

    // MARK: - post-taste

    static func baseline(count: Int64 = 10) async throws -> (Store, Workloads) {
        let workloads = Workloads(Self.scaledDown)
        let store = Store()
        _ = try await Self.preTaste(workloads: workloads, database: Database(count: count, failing: nil), store: store)
        return (store, workloads)
    }

    static func postTaste(
        workloads: Workloads, database: Database, store: Store,
        deadline: Duration = .seconds(30)
    ) async throws -> PostTasteWorkflow.Outcome {
        try await PostTasteWorkflow(
            context: context(deadline: deadline), options: .init(runID: nil), workloads: runWorkloads(workloads),
            database: database, store: store
        ).run()
    }

    static let postSteps: [Step] = [.readReplicas, .waitReady, .waitDatabase, .snapshot, .uploadPost, .uploadVerdict]

    @Test("post-taste: a failure at any step still puts the baseline's replicas back, and no verdict is stored", arguments: postSteps)
    func postTasteFailure(step: Step) async throws {
        let (store, upWorkloads) = try await Self.baseline()
        let workloads = Workloads(upWorkloads.replicas.withLock { $0 }, failing: [.readReplicas, .waitReady].contains(step) ? step : nil)
        let database = Database(count: 10, failing: [.waitDatabase, .snapshot].contains(step) ? step : nil)
        let failingStore = Store(failing: [.uploadPost, .uploadVerdict].contains(step) ? step : nil)
        failingStore.objects.withLock { $0 = store.objects.withLock { $0 } }
        await #expect(throws: (any Error).self) { try await Self.postTaste(workloads: workloads, database: database, store: failingStore) }
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown, "replicas not put back after \(step)")
        #expect(!failingStore.keys.contains(Self.layout.key(.verdict, run: "run-1")))
    }

    @Test("post-taste: data that changed fails (exit 1) after the verdict is stored and the replicas are put back")
    func postTasteFails() async throws {
        let (store, upWorkloads) = try await Self.baseline(count: 10)
        let workloads = Workloads(upWorkloads.replicas.withLock { $0 })
        let outcome = try await Self.postTaste(workloads: workloads, database: Database(count: 7, failing: nil), store: store)
        #expect(outcome.exitCode == .integrityFailure)
        #expect(store.keys.contains(Self.layout.key(.verdict, run: "run-1")))
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
    }

    @Test("post-taste: a workload the sync scaled back down is scaled up again, and put back to the baseline's replicas")
    func postTasteAfterSync() async throws {
        let (store, _) = try await Self.baseline()
        let workloads = Workloads(["statefulset/mongo": 1, "deployment/web": 0])
        let outcome = try await Self.postTaste(workloads: workloads, database: Database(count: 10, failing: nil), store: store)
        #expect(outcome.exitCode == .pass)
        let calls = workloads.calls.withLock { $0 }
        #expect(calls.firstIndex(of: "scale deployment/web=2")! < calls.firstIndex(of: "wait ready")!)
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
    }

    @Test("post-taste: a run cancelled (SIGTERM) mid-snapshot ends in an error, never an outcome; the replicas are put back")
    func postTasteCancelled() async throws {
        let (store, upWorkloads) = try await Self.baseline()
        let workloads = Workloads(upWorkloads.replicas.withLock { $0 })
        var database = Database(count: 10, failing: nil)
        database.hangs = true
        let run = Task { [database] in try await Self.postTaste(workloads: workloads, database: database, store: store) }
        try await Task.sleep(for: .milliseconds(100))
        run.cancel()
        let result = await run.result
        #expect(throws: CancellationError.self) { try result.get() }
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
        #expect(!store.keys.contains(Self.layout.key(.verdict, run: "run-1")))
    }

    // MARK: - overlapping syncs

    @Test("overlapping syncs: the next pre-taste records the replicas before the first run scaled; the first post-taste leaves them to it")
    func overlappingSyncs() async throws {
        let (store, workloads) = try await Self.baseline()
        // The next sync's PreSync, while the first PostSync has not stored its verdict: the app is
        // at the first run's targets.
        let second = try await Self.preTaste(workloads: workloads, database: Database(count: 10, failing: nil), store: store, runID: "run-2")
        #expect(second.report.workloads.map(\.replicasBefore) == [0, 0], "the first run's scaled state is not the app's rest")
        #expect(workloads.calls.withLock { $0 }.filter { $0.hasPrefix("scale") }.count == 2, "only the first run scaled")

        // The first PostSync ends: its verdict compares its own baseline; the replicas stay up for the second sync.
        let first = try await PostTasteWorkflow(
            context: Self.context(), options: .init(runID: "run-1"), workloads: Self.runWorkloads(workloads),
            database: Database(count: 10, failing: nil), store: store
        ).run()
        #expect(first.verdict.preKey == Self.layout.key(.pre, run: "run-1"))
        #expect(workloads.replicas.withLock { $0 } == ["statefulset/mongo": 1, "deployment/web": 2])

        // The second PostSync follows latest-pre.json to its own baseline and puts the app back to rest.
        let last = try await Self.postTaste(workloads: workloads, database: Database(count: 10, failing: nil), store: store)
        #expect(last.verdict.preKey == Self.layout.key(.pre, run: "run-2"))
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
    }

    @Test("no overlap: a pre-taste after a run whose post-taste failed and was restored records what it finds")
    func noOverlapAfterARestoredRun() async throws {
        let (store, _) = try await Self.baseline()
        let atRest = Workloads(["statefulset/mongo": 0, "deployment/web": 1])
        let next = try await Self.preTaste(workloads: atRest, database: Database(count: 10, failing: nil), store: store, runID: "run-2")
        #expect(next.report.workloads.map(\.replicasBefore) == [0, 1])
    }

    @Test("overlapping syncs, the next one scales fewer workloads: the first post-taste restores what the second does not record")
    func overlappingSyncsFewerWorkloads() async throws {
        let (store, workloads) = try await Self.baseline()
        let onlyMongo = [Self.targets[0]]
        let second = try await PreTasteWorkflow(
            context: Self.context(), runID: "run-2", workloads: Self.runWorkloads(workloads, targets: onlyMongo),
            database: Database(count: 10, failing: nil), store: store
        ).run()
        #expect(second.report.workloads.map(\.name) == ["mongo"])
        #expect(second.report.workloads.map(\.replicasBefore) == [0])

        // The first PostSync ends: it leaves mongo to run 2, and puts web back itself.
        _ = try await PostTasteWorkflow(
            context: Self.context(), options: .init(runID: "run-1"), workloads: Self.runWorkloads(workloads),
            database: Database(count: 10, failing: nil), store: store
        ).run()
        #expect(workloads.replicas.withLock { $0 } == ["statefulset/mongo": 1, "deployment/web": 0])

        // The second PostSync puts mongo back: nothing is left scaled.
        _ = try await PostTasteWorkflow(
            context: Self.context(), options: .init(runID: nil), workloads: Self.runWorkloads(workloads, targets: onlyMongo),
            database: Database(count: 10, failing: nil), store: store
        ).run()
        #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
    }

    @Test("an earlier run without a verdict counts as in progress only within its bound")
    func earlierRunAgeLimit() async throws {
        let (store, _) = try await Self.baseline()
        let overlap = SyncOverlap(store: store, context: Self.context())
        // The bound: 10 s + the 30 s deadline + the 20 s restore budget + 60 s of skew = 120 s.
        let inBound = await overlap.earlierRun(before: "run-2", maxBaselineAge: .seconds(10), now: Date().addingTimeInterval(100))
        #expect(inBound?.runID == "run-1")
        let past = await overlap.earlierRun(before: "run-2", maxBaselineAge: .seconds(10), now: Date().addingTimeInterval(130))
        #expect(past == nil)
    }

    @Test("post-taste refuses (exit 4) a baseline latest-pre.json names that was stored after the hook started, naming --run-id")
    func laterBaselineThroughThePointer() async throws {
        let (store, _) = try await Self.baseline()
        let resolver = BaselineResolver(store: store, context: Self.context())
        let followed = try await resolver.resolve(runID: nil, for: .verdict)
        let error = #expect(throws: NoBaselineError.self) {
            try resolver.checkNotLater(followed, hookStarted: Date().addingTimeInterval(-120))
        }
        #expect(error?.exitCode == .noBaseline)
        #expect(error?.description.contains("--run-id") == true)
        // Within the clock skew, or a baseline named by its run id: used.
        try resolver.checkNotLater(followed, hookStarted: Date().addingTimeInterval(-30))
        let named = try await resolver.resolve(runID: "run-1", for: .verdict)
        try resolver.checkNotLater(named, hookStarted: Date().addingTimeInterval(-120))
    }

    // MARK: - restore and the hook runner

    @Test("restore puts back what the baseline recorded, and can run twice")
    func restoreTwice() async throws {
        let (store, upWorkloads) = try await Self.baseline()
        let workloads = Workloads(upWorkloads.replicas.withLock { $0 })
        for _ in 0..<2 {
            let outcome = try await RestoreWorkflow(context: Self.context(), runID: nil, workloads: Self.runWorkloads(workloads), store: store).run()
            #expect(outcome.restored.count == 2)
            #expect(workloads.replicas.withLock { $0 } == Self.scaledDown)
        }
    }

    /// An announcer that remembers what it was told.
    final class Told: Announcer, Sendable {
        let summaries = Mutex<[String]>([])
        func announce(_ announcement: Announcement) async { summaries.withLock { $0.append(announcement.summary) } }
    }

    @Test("the hook runner: a failed post-taste is announced as an error and rethrown; a verdict is announced with its exit code")
    func hookRunner() async throws {
        let told = Told()
        let runner = HookRunner(hook: .postTaste, app: "shop", announcer: told)
        await #expect(throws: Injected.self) {
            _ = try await runner.run({ () async throws -> PostTasteWorkflow.Outcome in throw Injected(step: .snapshot) }, present: { _ in })
        }
        #expect(told.summaries.withLock { $0 } == ["taster: ERROR post-taste shop: injected failure at snapshot"])

        let (store, upWorkloads) = try await Self.baseline(count: 10)
        let workloads = Workloads(upWorkloads.replicas.withLock { $0 })
        var presented = false
        let code = try await runner.run(
            { try await Self.postTaste(workloads: workloads, database: Database(count: 9, failing: nil), store: store) },
            present: { _ in presented = true })
        #expect(code == .integrityFailure)
        #expect(presented)
        #expect(told.summaries.withLock { $0 }.last?.hasPrefix("taster: FAIL shop") == true)
    }
}
