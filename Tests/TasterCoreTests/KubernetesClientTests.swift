import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// The Kubernetes client against the API emulator: every way of finding and authenticating to
/// the API, what its errors say, the faults it rides out, access reviews, Events and the Argo CD
/// Application.
@Suite("Kubernetes client", .serialized)
struct KubernetesClientTests {
    let emulator: EmulatorControl
    let namespace = TestStack.uniqueName("kc")

    init() throws {
        emulator = try EmulatorControl()
    }

    func web(_ replicas: Int = 1) -> WorkloadTarget { WorkloadTarget(kind: .deployment, name: "web", replicas: replicas) }

    // MARK: - Access

    @Test("a context other than current-context, with the namespace of that context (TASTER_KUBE_CONTEXT)")
    func otherContext() async throws {
        let folder = try TemporaryDirectory("kubeconfig")
        let ca = try Data(contentsOf: URL(fileURLWithPath: try TestStack.caFile)).base64EncodedString()
        let token = try TestStack.value("TESTENV_KUBE_TOKEN")
        let path = folder.path("config").path
        try """
        apiVersion: v1
        kind: Config
        current-context: broken
        clusters:
        - {name: nowhere, cluster: {server: "https://127.0.0.1:1"}}
        - {name: emulator, cluster: {server: "\(try TestStack.kubeURL)", certificate-authority-data: "\(ca)"}}
        users:
        - {name: taster, user: {token: "\(token)"}}
        contexts:
        - {name: broken, context: {cluster: nowhere, user: taster}}
        - {name: emulator, context: {cluster: emulator, user: taster, namespace: \(namespace)}}
        """.write(toFile: path, atomically: true, encoding: .utf8)
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 3))

        let settings = try Settings.load(from: Environment(["KUBECONFIG": path, "TASTER_KUBE_CONTEXT": "emulator"]))
        let client = try KubernetesClient.connect(settings.kubernetes, permissions: TestKube.everything, logger: TestKube.logger(LogSink(buffer: true)))
        #expect(client.connection.contextName == "emulator")
        let resolved = client.namespace(for: settings.kubernetes)
        #expect(resolved == namespace, "the context's namespace, as there is no TASTER_NAMESPACE and no pod namespace file")
        let replicas = try await WorkloadScaler(client: client, namespace: resolved, logger: TestKube.logger(LogSink(buffer: true)))
            .replicas(of: web(), deadline: Deadline(budget: .seconds(10)))
        #expect(replicas == 3)

        // The current context points nowhere: its error names the endpoint, not the token.
        let current = try KubernetesClient.connect(
            try Settings.load(from: Environment(["KUBECONFIG": path])).kubernetes,
            permissions: TestKube.everything, logger: TestKube.logger(LogSink(buffer: true)))
        let error = try await #require(throws: HTTPError.self) {
            _ = try await WorkloadScaler(client: current, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
                .replicas(of: web(), deadline: Deadline(budget: .seconds(1)))
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.description.contains("Kubernetes API GET https://127.0.0.1:1/apis/apps/v1/namespaces/\(namespace)/deployments/web/scale failed"))
        #expect(!error.description.contains(token))
        try await emulator.reset(namespace: namespace)
    }

    @Test("a client certificate as kubeconfig data and as files: the API sees the certificate's user")
    func clientCertificate() async throws {
        let folder = try TemporaryDirectory("client-cert")
        let user = "cert-user-\(UUID().uuidString.prefix(8).lowercased())"
        let arguments = [
            try TestStack.testenvDirectory + "/tlsgen.py", "client", folder.url.path, "client",
            try TestStack.caFile, try TestStack.caKeyFile, "--cn", user, "--org", "taster-testers",
        ]
        let status = try await TestCommand.run(try TestStack.python, arguments).status
        try #require(status == 0)
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 2))

        let certificate = try Data(contentsOf: folder.path("client.crt")), key = try Data(contentsOf: folder.path("client.key"))
        let variants: [KubeConnection.ClientCertificate] = [
            .init(certificate: .data(certificate), key: .data(key)),
            .init(certificate: .file(folder.path("client.crt").path), key: .file(folder.path("client.key").path)),
        ]
        for variant in variants {
            var connection = try TestKube.connection()
            connection.credentials = .none
            connection.clientCertificate = variant
            let client = try KubernetesClient(connection: connection, permissions: TestKube.everything, logger: TestKube.logger(LogSink(buffer: true)))
            let mark = try await emulator.mark()
            let replicas = try await WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
                .replicas(of: web(), deadline: Deadline(budget: .seconds(10)))
            #expect(replicas == 2)
            let logged = try await emulator.requests(since: mark, ["namespace": namespace])
            #expect(logged.map { $0["user"] as? String } == [user])
        }
        try await emulator.reset(namespace: namespace)
    }

    @Test("an exec credential plugin: run once, cached, and after a 401 run again and retried once")
    func execPlugin() async throws {
        let folder = try TemporaryDirectory("exec")
        let (good, user) = try await TestKube.identity(emulator)
        let counter = folder.path("runs").path
        let plugin = folder.path("plugin.sh").path
        // The first run hands out a token the API refuses; later runs the right one.
        try """
        #!/bin/sh
        echo run >> "\(counter)"
        if [ "$(wc -l < "\(counter)")" -eq 1 ]; then token=stale-token-1234; else token=\(good); fi
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"%s"}}' "$token"
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))

        var connection = try TestKube.connection()
        connection.credentials = .exec(
            KubeConfig.ExecConfig(
                command: plugin, args: [], env: [], apiVersion: "client.authentication.k8s.io/v1",
                installHint: nil, provideClusterInfo: true))
        let sink = LogSink(buffer: true)
        let client = try KubernetesClient(connection: connection, permissions: TestKube.everything, logger: TestKube.logger(sink))
        let scaler = WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(sink))
        #expect(try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10))) == 1)
        #expect(try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10))) == 1)
        let runs = try String(contentsOfFile: counter, encoding: .utf8).split(separator: "\n").count
        #expect(runs == 2, "once for the refused token, once after the 401; then cached")
        let logged = try await emulator.requests(["namespace": namespace, "verb": "get"])
        #expect(logged.map { $0["status"] as? Int } == [401, 200, 200])
        #expect(logged.last?["user"] as? String == user)
        #expect(sink.written.allSatisfy { !$0.contains(good) }, "the token is never logged")
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(good)
    }

    @Test("a token file is read again for every request, so a rotated token is used at once")
    func tokenFileRotation() async throws {
        let folder = try TemporaryDirectory("token-file")
        let user = "system:serviceaccount:\(namespace):rotating"
        let (first, _) = try await TestKube.identity(emulator, user: user)
        let (second, _) = try await TestKube.identity(emulator, user: user)
        let file = folder.path("token").path
        try first.write(toFile: file, atomically: true, encoding: .utf8)
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))

        var connection = try TestKube.connection()
        connection.credentials = .tokenFile(file)
        let sink = LogSink(buffer: true)
        let client = try KubernetesClient(connection: connection, permissions: TestKube.everything, logger: TestKube.logger(sink))
        let scaler = WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(sink))
        #expect(try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10))) == 1)
        // The kubelet rotates the token: the old one stops working, the file holds the new one.
        try await emulator.removeToken(first)
        try (second + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10))) == 1)
        let logged = try await emulator.requests(["namespace": namespace, "verb": "get"])
        #expect(logged.map { $0["status"] as? Int } == [200, 200])
        #expect(logged.allSatisfy { $0["user"] as? String == user })

        // A token that is no longer valid: a 401 naming the file, never the token.
        try await emulator.removeToken(second)
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10)))
        }
        #expect(error.kind == .unauthorized)
        #expect(error.exitCode == .dependency)
        #expect(error.description.contains("the token in \(file) was refused, also after reading it again"))
        #expect(!error.description.contains(second) && sink.written.allSatisfy { !$0.contains(second) })
        try await emulator.reset(namespace: namespace)
    }

    @Test("tls-server-name: the API server's certificate is checked against that name, not the server's address")
    func tlsServerName() async throws {
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 1))
        func replicas(serverName: String) async throws -> Int {
            var connection = try TestKube.connection()
            connection.tlsServerName = serverName
            let client = try KubernetesClient(connection: connection, permissions: TestKube.everything, logger: TestKube.logger(LogSink(buffer: true)))
            return try await WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
                .replicas(of: web(), deadline: Deadline(budget: .seconds(5)))
        }
        #expect(try await replicas(serverName: "localhost") == 1, "the emulator's certificate names localhost")
        let error = try await #require(throws: HTTPError.self) { _ = try await replicas(serverName: "api.example.internal") }
        #expect(error.kind == .certificateVerificationFailed)
        #expect(error.description.contains("the certificate-authority-data of context \"taster-test\""), "\(error)")
        try await emulator.reset(namespace: namespace)
    }

    @Test("a wrong token: 401 naming the kubeconfig user and context, without the token, not retried")
    func wrongToken() async throws {
        let token = "wrong-" + UUID().uuidString
        let client = try TestKube.client(token: token)
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
                .replicas(of: web(), deadline: Deadline(budget: .seconds(10)))
        }
        #expect(error.kind == .unauthorized)
        #expect(error.attempts == 1)
        #expect(
            error.description.hasPrefix(
                "Kubernetes API GET \(try TestStack.kubeURL)/apis/apps/v1/namespaces/\(namespace)/deployments/web/scale answered 401 Unauthorized"))
        #expect(error.description.contains(#"the credentials of user "taster" of context "taster-test""#))
        #expect(error.description.contains("the kubeconfig user's token is wrong or expired"))
        #expect(!SecretRedactor.shared.scrub(error.description).contains(token) && !error.description.contains(token))
    }

    // MARK: - Errors

    @Test("403 names the verb, the resource, the service account, and shows the Role rule that allows it")
    func forbidden() async throws {
        let (token, user) = try await TestKube.identity(emulator)
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 0))
        try await emulator.addRule([
            "effect": "deny", "verbs": ["patch"], "apiGroups": ["apps"], "resources": ["deployments/scale"],
            "namespaces": [namespace], "users": [user],
        ])
        let client = try TestKube.client(token: token)
        let scaler = WorkloadScaler(client: client, namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await scaler.scale(web(), to: 1, deadline: Deadline(budget: .seconds(10)))
        }
        let serviceAccount = user.split(separator: ":")[2] + "/taster"
        #expect(error.kind == .forbidden)
        #expect(error.exitCode == .dependency)
        #expect(error.user == user)
        #expect(
            error.description == """
                Kubernetes API refused to patch deployments/scale "web" (API group "apps") in namespace "\(namespace)" for service account "\(serviceAccount)" (User "\(user)") (403 Forbidden: deployments.apps "web" is forbidden: User "\(user)" cannot patch resource "deployments/scale" in API group "apps" in the namespace "\(namespace)"). Grant it with this rule in a Role in namespace "\(namespace)" bound to service account "\(serviceAccount)" (User "\(user)"):
                - apiGroups: ["apps"]
                  resources: ["deployments/scale"]
                  verbs: ["patch"]
                  resourceNames: ["web"]
                """)
        let patches = try await emulator.requests(["namespace": namespace, "method": "PATCH"])
        #expect(patches.count == 1, "a 403 is not retried")
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(token)
    }

    @Test("404 of a workload says where to look: TASTER_WORKLOADS and TASTER_NAMESPACE")
    func notFound() async throws {
        let scaler = WorkloadScaler(client: try TestKube.client(), namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await scaler.scale(WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 1), to: 1, deadline: Deadline(budget: .seconds(10)))
        }
        #expect(error.kind == .notFound)
        #expect(error.description.hasPrefix(#"Kubernetes API: statefulsets.apps "mongo" in namespace "\#(namespace)" not found"#))
        #expect(error.description.hasSuffix(#"check statefulset/mongo in TASTER_WORKLOADS and the namespace "\#(namespace)" (TASTER_NAMESPACE)"#))
    }

    @Test("409, 429 with Retry-After and 500 are retried inside the deadline; the scale still happens once")
    func retriedFaults() async throws {
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 0))
        let scalePath = "/apis/apps/v1/namespaces/\(namespace)/deployments/web/scale"
        try await emulator.fault(["method": "PATCH", "path": scalePath, "code": 409, "count": 2])
        try await emulator.fault(["method": "GET", "path": scalePath, "code": 429, "retryAfter": 1, "count": 1])
        try await emulator.fault(["method": "GET", "path": scalePath, "code": 500, "count": 1])
        let sink = LogSink(buffer: true)
        let scaler = WorkloadScaler(client: try TestKube.client(sink: sink), namespace: namespace, logger: TestKube.logger(sink))
        let started = ContinuousClock.now
        let before = try await scaler.scale(web(), to: 2, deadline: Deadline(budget: .seconds(20)))
        let took = started.duration(to: .now)
        #expect(before == 0)
        #expect(took >= .seconds(1), "Retry-After: 1 was honoured (took \(took))")
        #expect(try await scaler.replicas(of: web(), deadline: Deadline(budget: .seconds(10))) == 2)
        let logged = try await emulator.requests(["path": scalePath])
        #expect(
            logged.map { "\($0["method"] ?? "") \($0["status"] ?? "")" } == ["GET 429", "GET 500", "GET 200", "PATCH 409", "PATCH 409", "PATCH 200", "GET 200"])
        #expect(sink.written.contains { $0.contains("answered HTTP 429; trying again") })
        try await emulator.reset(namespace: namespace)
    }

    @Test("retries stop at the deadline and the error says what the API answered")
    func retriesExhausted() async throws {
        try await emulator.create(EmulatorControl.deployment("web", namespace, replicas: 0))
        let scalePath = "/apis/apps/v1/namespaces/\(namespace)/deployments/web/scale"
        let fault = try await emulator.fault(["method": "GET", "path": scalePath, "code": 503, "count": NSNull()])
        let scaler = WorkloadScaler(client: try TestKube.client(), namespace: namespace, logger: TestKube.logger(LogSink(buffer: true)))
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await scaler.replicas(of: web(), deadline: Deadline(budget: .milliseconds(1500)))
        }
        #expect(error.kind == .serverError)
        #expect(error.attempts > 1)
        #expect(error.description.contains("failed with HTTP 503 ServiceUnavailable after \(error.attempts) attempts"))
        #expect(error.description.contains("check the control plane's health"))
        try await emulator.call(.delete, "/_emulator/faults/\(fault)") // it has no count: remove it
        try await emulator.reset(namespace: namespace)
    }

    // MARK: - Access reviews, Events, Argo CD

    @Test("canI asks a SelfSubjectAccessReview and returns the authorizer's reason")
    func accessReview() async throws {
        let (token, user) = try await TestKube.identity(emulator)
        try await emulator.addRule([
            "effect": "deny", "verbs": ["patch"], "resources": ["statefulsets/scale"], "namespaces": [namespace],
            "users": [user], "reason": "frozen for the audit",
        ])
        let client = try TestKube.client(token: token)
        let deadline = Deadline(budget: .seconds(10))
        let denied = try await client.canI(.patchScale(.statefulset), name: "mongo", namespace: namespace, deadline: deadline)
        #expect(denied.allowed == false)
        #expect(denied.reason == "frozen for the audit")
        let allowed = try await client.canI(
            verb: "patch", group: "apps", resource: "deployments", subresource: "scale",
            namespace: namespace, deadline: deadline)
        #expect(allowed.allowed)
        try await emulator.removeToken(token)
    }

    @Test("Events are recorded on an object; without permission one warning, no error, no further attempts")
    func events() async throws {
        let (token, user) = try await TestKube.identity(emulator)
        let sink = LogSink(buffer: true)
        let recorder = EventRecorder(client: try TestKube.client(token: token, sink: sink), instance: "pre-taste-abcde", logger: TestKube.logger(sink))
        let job = EventRecorder.InvolvedObject(apiVersion: "batch/v1", kind: "Job", name: "taster-pre", namespace: namespace, uid: "u-1")
        let deadline = Deadline(budget: .seconds(10))
        #expect(await recorder.record(.normal, reason: "BaselineTaken", message: "2 checks stored", about: job, deadline: deadline))
        let (status, answer) = try await emulator.kube(.get, "/api/v1/namespaces/\(namespace)/events")
        #expect(status == 200)
        let event = try #require((answer as? [String: Any])?["items"] as? [[String: Any]]).first
        let involved = event?["involvedObject"] as? [String: Any]
        #expect(involved?["kind"] as? String == "Job" && involved?["name"] as? String == "taster-pre" && involved?["uid"] as? String == "u-1")
        #expect(event?["reason"] as? String == "BaselineTaken" && event?["type"] as? String == "Normal")
        #expect((event?["source"] as? [String: Any])?["component"] as? String == "taster")

        try await emulator.addRule(["effect": "deny", "verbs": ["create"], "resources": ["events"], "namespaces": [namespace], "users": [user]])
        #expect(await recorder.record(.warning, reason: "DataChanged", message: "orders 10 → 9", about: job, deadline: deadline) == false)
        #expect(await recorder.record(.warning, reason: "DataChanged", message: "again", about: job, deadline: deadline) == false)
        let warnings = sink.written.filter { $0.contains("cannot record Kubernetes Events") }
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains(#"cannot create resource "events""#) == true)
        let posts = try await emulator.requests(["namespace": namespace, "method": "POST"])
        #expect(posts.map { $0["status"] as? Int } == [201, 403], "no attempt after the 403")
        try await emulator.reset(namespace: namespace)
        try await emulator.removeToken(token)
    }

    @Test("the Argo CD Application's sync operation: revision(s) and start time; nil without one")
    func argoSyncOperation() async throws {
        func application(_ name: String, operationState: [String: Any]?) -> [String: Any] {
            var object: [String: Any] = [
                "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
                "metadata": ["name": name, "namespace": namespace], "spec": ["project": "default"],
            ]
            if let operationState { object["status"] = ["operationState": operationState] }
            return object
        }
        try await emulator.call(
            .post, "/_emulator/objects",
            [
                "items": [
                    application(
                        "single",
                        operationState: [
                            "operation": ["sync": ["revision": "4f2c1a9e8b7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"]],
                            "phase": "Running", "startedAt": "2026-11-21T10:00:00Z",
                        ]),
                    application(
                        "multi",
                        operationState: [
                            "operation": ["sync": ["revisions": ["aaaa", "bbbb"]]], "phase": "Running",
                            "startedAt": "2026-11-21T11:00:00Z",
                        ]),
                    application("idle", operationState: nil),
                ]
            ])
        let source = ArgoSyncOperationSource(client: try TestKube.client(KubernetesPermissions.argoApplication), deadline: Deadline(budget: .seconds(10)))
        #expect(
            try await source.currentSyncOperation(application: "single", namespace: namespace)
                == SyncOperation(revisions: ["4f2c1a9e8b7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b"], startedAt: "2026-11-21T10:00:00Z"))
        #expect(
            try await source.currentSyncOperation(application: "multi", namespace: namespace)
                == SyncOperation(revisions: ["aaaa", "bbbb"], startedAt: "2026-11-21T11:00:00Z"))
        #expect(try await source.currentSyncOperation(application: "idle", namespace: namespace) == nil)
        let error = try await #require(throws: KubernetesError.self) {
            _ = try await source.currentSyncOperation(application: "missing", namespace: namespace)
        }
        #expect(error.description.contains("check TASTER_ARGOCD_APP and TASTER_ARGOCD_NAMESPACE"))
        try await emulator.reset(namespace: namespace)
    }
}
