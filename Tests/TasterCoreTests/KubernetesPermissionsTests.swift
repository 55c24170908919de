import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSettings
@testable import TasterSupport

/// The Role taster ships is tested against `KubernetesPermissions`; these tests hold the code to
/// those lists: every request the hooks and await-job send, as the API server logs it, is a
/// declared permission of that role, and an undeclared call stops a debug build.
@Suite("Kubernetes permissions", .serialized)
struct KubernetesPermissionsTests {
    let emulator: EmulatorControl

    init() throws {
        emulator = try EmulatorControl()
    }

    /// The permission a logged request used: verb, API group (from the path), resource[/subresource].
    static func permission(of entry: [String: Any]) -> String {
        let path = (entry["path"] as? String ?? "").split(separator: "/")
        let group = path.first == "apis" && path.count > 1 ? String(path[1]) : ""
        var resource = entry["resource"] as? String ?? ""
        if let subresource = entry["subresource"] as? String, !subresource.isEmpty { resource += "/" + subresource }
        return "\(entry["verb"] as? String ?? "") \(resource)\(group.isEmpty ? "" : ".\(group)")"
    }

    @Test("every request of the hooks' code paths (scale, wait, 410 re-list, diagnostics, Events, Argo CD, access review) is declared")
    func hookRequestsAreDeclared() async throws {
        let namespace = TestStack.uniqueName("perm")
        let (token, user) = try await TestKube.identity(emulator)
        let declared = KubernetesPermissions.hooks + KubernetesPermissions.argoApplication + KubernetesPermissions.everyAuthenticatedUser
        let client = try TestKube.client(declared, token: token)
        let logger = TestKube.logger(LogSink(buffer: true))
        let control = KubernetesWorkloadControl(client: client, namespace: namespace, logger: logger)
        let deadline = Deadline(budget: .seconds(30))

        try await emulator.create(EmulatorControl.deployment("web", namespace))
        try await emulator.create(EmulatorControl.statefulset("mongo", namespace))
        try await emulator.workload(namespace, "deployment", "web", ["readyDelaySeconds": NSNull()])
        try await emulator.workload(namespace, "statefulset", "mongo", ["unready": ["reason": "ImagePullBackOff"]])
        try await emulator.fault(["path": "/apis/apps/v1/namespaces/\(namespace)/deployments", "watch": true, "code": 410])
        let web = WorkloadTarget(kind: .deployment, name: "web", replicas: 1)
        let mongo = WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 1)
        _ = try await control.scale(web, to: 1, deadline: deadline)
        _ = try await control.scale(mongo, to: 1, deadline: deadline)
        let wait = Task { try await control.waitUntilReady([web], timeout: .seconds(20), deadline: deadline) }
        // The first watch gets the 410; ready once the LIST and the second watch are there.
        let end = ContinuousClock.now.advanced(by: .seconds(10))
        while try await emulator.requests(["user": user, "verb": "watch"]).count < 2, ContinuousClock.now < end {
            try await Task.sleep(for: .milliseconds(20))
        }
        _ = try await emulator.ready(namespace, "deployment", "web")
        _ = try await wait.value
        await #expect(throws: WorkloadsNotReadyError.self) { _ = try await control.waitUntilReady([mongo], timeout: .milliseconds(500), deadline: deadline) }
        let involved = EventRecorder.InvolvedObject(apiVersion: "apps/v1", kind: "Deployment", name: "web", namespace: namespace)
        #expect(await EventRecorder(client: client, logger: logger).record(.normal, reason: "Scaled", message: "1", about: involved, deadline: deadline))
        await #expect(throws: KubernetesError.self) {
            _ = try await ArgoSyncOperationSource(client: client, deadline: deadline).currentSyncOperation(application: "stage", namespace: namespace)
        }
        _ = try await client.canI(.patchScale(.deployment), name: "web", namespace: namespace, deadline: deadline)

        let logged = try await emulator.requests(["user": user])
        let used = Set(logged.map(Self.permission(of:)))
        let allowed = Set(declared.map(\.description))
        #expect(used.isSubset(of: allowed), "undeclared: \(used.subtracting(allowed).sorted())")
        #expect(
            used.isSuperset(of: [
                "get deployments/scale.apps", "patch deployments/scale.apps", "get deployments.apps", "watch deployments.apps",
                "list deployments.apps", "list pods", "create events", "get applications.argoproj.io",
                "create selfsubjectaccessreviews.authorization.k8s.io",
            ]), "\(used.sorted())")
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(token)
    }

    @Test("every request of await-job (Job watch, pod watch, logs, delete) is in KubernetesPermissions.awaitJob")
    func awaitJobRequestsAreDeclared() async throws {
        let namespace = TestStack.uniqueName("perm")
        let (token, user) = try await TestKube.identity(emulator)
        let client = try TestKube.client(KubernetesPermissions.awaitJob, token: token)
        // Running for a while, so the watches (and the 410 re-list) happen on any machine.
        try await emulator.job(namespace, "tests", ["outcome": "succeed", "logs": ["ok"], "runSeconds": 3])
        try await emulator.create(EmulatorControl.job("tests", namespace))
        try await emulator.fault(["path": "/apis/batch/v1/namespaces/\(namespace)/jobs", "watch": true, "action": "expire-watch"])
        let outcome = try await JobWatcher(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)), output: { _ in })
            .run(job: "tests", timeout: .seconds(30), cleanup: .deleteOnSuccess)
        #expect(outcome.deleted)
        let used = Set(try await emulator.requests(["user": user]).map(Self.permission(of:)))
        let allowed = Set(KubernetesPermissions.awaitJob.map(\.description))
        #expect(used.isSubset(of: allowed), "undeclared: \(used.subtracting(allowed).sorted())")
        #expect(
            used.isSuperset(of: ["get jobs.batch", "watch jobs.batch", "list jobs.batch", "delete jobs.batch", "list pods", "watch pods", "get pods/log"]),
            "\(used.sorted())")
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(token)
    }

    @Test("a call the client was not created with is refused before anything is sent (a debug build stops there)")
    func undeclaredCallRefused() async throws {
        let namespace = TestStack.uniqueName("perm")
        let client = try KubernetesClient(
            connection: try TestKube.connection(), permissions: KubernetesPermissions.awaitJob,
            logger: TestKube.logger(LogSink(buffer: true)), retry: .kubernetes, requestTimeout: .seconds(10),
            trapsOnUndeclaredCall: false)
        let mark = try await emulator.mark()
        let error = try await #require(throws: UndeclaredPermissionError.self) {
            _ = try await WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
                .scale(WorkloadTarget(kind: .deployment, name: "web", replicas: 1), to: 1, deadline: Deadline(budget: .seconds(5)))
        }
        #expect(error.permission.description == "get deployments/scale.apps")
        #expect(error.description.hasPrefix("taster tried to get deployments/scale.apps without declaring it"))
        #expect(try await emulator.requests(since: mark, ["namespace": namespace]).isEmpty)
    }
}
