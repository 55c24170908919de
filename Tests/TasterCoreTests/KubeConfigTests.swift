import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

@Suite("Kubeconfig")
struct KubeConfigTests {
    let pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"

    func write(_ text: String, in directory: TemporaryDirectory, name: String = "config") throws -> String {
        let url = directory.path(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func config(users: String, clusterExtra: String = "", current: String = "main", contexts: String? = nil) -> String {
        """
        apiVersion: v1
        kind: Config
        current-context: \(current)
        clusters:
        - name: c1
          cluster:
            server: https://10.0.0.1:6443
            certificate-authority-data: \(Data(pem.utf8).base64EncodedString())
        \(clusterExtra)
        contexts:
        \(contexts ?? "- name: main\n  context: {cluster: c1, user: u1, namespace: pxbbq}")
        users:
        \(users)
        """
    }

    @Test("token user, CA data, namespace from the context")
    func token() throws {
        let directory = try TemporaryDirectory()
        let path = try write(config(users: "- name: u1\n  user: {token: kTv9Qx7Lw123}"), in: directory)
        let connection = try KubeConfig.load(paths: [path]).connection(context: nil)
        #expect(connection.server == "https://10.0.0.1:6443")
        #expect(connection.certificateAuthority == .data(Data(pem.utf8)))
        #expect(connection.credentials == .token("kTv9Qx7Lw123"))
        #expect(connection.namespace == "pxbbq")
        #expect(!connection.insecureSkipTLSVerify)
        #expect(SecretRedactor.shared.scrub("Bearer kTv9Qx7Lw123") == SecretRedactor.notice(["the kubeconfig's token"]))
    }

    @Test("files named relative to the kubeconfig are resolved against its folder")
    func relativePaths() throws {
        let directory = try TemporaryDirectory()
        let users = "- name: u1\n  user:\n    client-certificate: certs/client.crt\n    client-key: /abs/client.key\n    tokenFile: token"
        let extra = "- name: c2\n  cluster: {server: 'https://h:1', certificate-authority: ca.crt, insecure-skip-tls-verify: true}"
        let path = try write(
            config(
                users: users, clusterExtra: extra,
                contexts: "- name: main\n  context: {cluster: c1, user: u1}\n- name: other\n  context: {cluster: c2, user: u1}"), in: directory)
        let loaded = try KubeConfig.load(paths: [path])
        let main = try loaded.connection(context: nil)
        #expect(main.clientCertificate == .init(certificate: .file(directory.url.path + "/certs/client.crt"), key: .file("/abs/client.key")))
        #expect(main.credentials == .tokenFile(directory.url.path + "/token"))
        let other = try loaded.connection(context: "other")
        #expect(other.certificateAuthority == .file(directory.url.path + "/ca.crt"))
        #expect(other.insecureSkipTLSVerify, "only when written in the kubeconfig")
        #expect(other.namespace == nil)
    }

    @Test("client certificate and key data")
    func certificateData() throws {
        let directory = try TemporaryDirectory()
        let data = Data("cert".utf8).base64EncodedString(), key = Data("key".utf8).base64EncodedString()
        let path = try write(config(users: "- name: u1\n  user: {client-certificate-data: \(data), client-key-data: \(key)}"), in: directory)
        let connection = try KubeConfig.load(paths: [path]).connection(context: nil)
        #expect(connection.clientCertificate == .init(certificate: .data(Data("cert".utf8)), key: .data(Data("key".utf8))))
        #expect(connection.credentials == .none)
    }

    @Test("a KUBECONFIG list merges as kubectl does: first current-context and first definition win; missing files skipped")
    func merge() throws {
        let directory = try TemporaryDirectory()
        let first = try write(
            """
            current-context: second-ctx
            users:
            - name: u1
              user: {token: frm1stQz9}
            """, in: directory, name: "a")
        let second = try write(
            config(
                users: "- name: u1\n  user: {token: frm2ndQz9}", current: "main",
                contexts: "- name: second-ctx\n  context: {cluster: c1, user: u1, namespace: ns2}"), in: directory, name: "b")
        let loaded = try KubeConfig.load(paths: [directory.url.path + "/missing", first, second])
        let connection = try loaded.connection(context: nil)
        #expect(connection.contextName == "second-ctx")
        #expect(connection.credentials == .token("frm1stQz9"))
        #expect(connection.namespace == "ns2")
    }

    @Test("an exec plugin user")
    func exec() throws {
        let directory = try TemporaryDirectory()
        let users = """
            - name: u1
              user:
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: ./plugin.sh
                  args: [get-token, --cluster, x]
                  env: [{name: REGION, value: eu}]
                  installHint: install the plugin
            """
        let path = try write(config(users: users), in: directory)
        let connection = try KubeConfig.load(paths: [path]).connection(context: nil)
        guard case .exec(let exec) = connection.credentials else { Issue.record("expected exec"); return }
        #expect(exec.command == directory.url.path + "/./plugin.sh")
        #expect(exec.args == ["get-token", "--cluster", "x"])
        #expect(exec.env.map(\.name) == ["REGION"] && exec.env.map(\.value) == ["eu"])
    }

    @Test(
        "clear errors",
        arguments: [
            ("current-context: nowhere\ncontexts: []", "context \"nowhere\" (current-context) is not in"),
            ("contexts:\n- name: a\n  context: {cluster: c, user: u}\ncurrent-context: a", "names cluster \"c\""),
            (
                "clusters:\n- name: c\n  cluster: {server: https://x}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\ncurrent-context: a",
                "names user \"u\""
            ),
            (
                "clusters:\n- name: c\n  cluster: {server: https://x}\nusers:\n- name: u\n  user: {username: a, password: b}\ncontexts:\n- name: a\n  context: {cluster: c, user: u}\ncurrent-context: a",
                "basic authentication"
            ),
            ("clusters:\n- name: c\n  cluster: {server: https://x, certificate-authority-data: '!!!'}", "not valid base64"),
            ("users: [", "not valid YAML"),
            ("clusters: []", "has no current-context"),
        ])
    func errors(text: String, expected: String) throws {
        let directory = try TemporaryDirectory()
        let path = try write(text, in: directory)
        do {
            _ = try KubeConfig.load(paths: [path]).connection(context: nil)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains(expected), "\(error.description)")
            #expect(error.exitCode == .usage)
        }
    }

    @Test("a context asked for by TASTER_KUBE_CONTEXT that is not there is named with the variable")
    func unknownContext() throws {
        let directory = try TemporaryDirectory()
        let path = try write(config(users: "- name: u1\n  user: {token: t}"), in: directory)
        #expect {
            _ = try KubeConfig.load(paths: [path]).connection(context: "staging")
        } throws: { error in
            "\(error)".contains("context \"staging\" (TASTER_KUBE_CONTEXT) is not in") && "\(error)".contains("it has: main")
        }
    }

    @Test("no kubeconfig at all names where it looked")
    func missing() {
        #expect(throws: KubeConfigError.self) { try KubeConfig.load(paths: ["/nonexistent/config"]) }
    }

    @Test("in-cluster: the service account becomes a kubeconfig; the token stays a file; IPv6 bracketed")
    func inCluster() throws {
        let directory = try TemporaryDirectory()
        try "tok".write(to: directory.path("token"), atomically: true, encoding: .utf8)
        try pem.write(to: directory.path("ca.crt"), atomically: true, encoding: .utf8)
        try "pxbbq\n".write(to: directory.path("namespace"), atomically: true, encoding: .utf8)
        let connection = try KubeConfig.inCluster(host: "fd00::1", port: 443, directory: directory.url.path).connection(context: nil)
        #expect(connection.server == "https://[fd00::1]:443")
        #expect(connection.credentials == .tokenFile(directory.url.path + "/token"))
        #expect(connection.certificateAuthority == .file(directory.url.path + "/ca.crt"))
        #expect(connection.namespace == "pxbbq")
        let empty = try TemporaryDirectory()
        #expect(throws: KubeConfigError.self) { try KubeConfig.inCluster(host: "10.0.0.1", port: 443, directory: empty.url.path) }
    }

    @Test("exec plugin: runs, passes KUBERNETES_EXEC_INFO, caches until expiry, invalidates")
    func execProvider() async throws {
        let directory = try TemporaryDirectory()
        let counter = directory.path("count").path
        let script = directory.path("plugin.sh")
        try """
        #!/bin/sh
        echo x >> \(counter)
        case "$KUBERNETES_EXEC_INFO" in *'"interactive":false'*) ;; *) echo "no exec info" >&2; exit 3;; esac
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"execTok-%s","expirationTimestamp":"%s"}}' "$REGION" "$EXPIRY"
        """.write(to: script, atomically: true, encoding: .utf8)
        chmod(script.path, 0o755)
        let later = Timestamp.rfc3339(Date().addingTimeInterval(3600))
        let config = KubeConfig.ExecConfig(
            command: script.path, args: [], env: [("REGION", "eu"), ("EXPIRY", Secret(later, origin: "EXPIRY"))],
            apiVersion: "client.authentication.k8s.io/v1", installHint: nil, provideClusterInfo: false)
        let provider = ExecCredentialProvider(config: config, server: "https://x")
        let first = try await provider.credential(timeout: .seconds(10))
        #expect(first.token == "execTok-eu")
        _ = try await provider.credential(timeout: .seconds(10))
        #expect(try String(contentsOfFile: counter, encoding: .utf8).count == 2, "cached: ran once")
        provider.invalidate()
        _ = try await provider.credential(timeout: .seconds(10))
        #expect(try String(contentsOfFile: counter, encoding: .utf8).count == 4, "ran again after invalidate")

        let expired = ExecCredentialProvider(
            config: .init(
                command: script.path, args: [], env: [("REGION", "x"), ("EXPIRY", Secret(Timestamp.rfc3339(Date().addingTimeInterval(5)), origin: "EXPIRY"))],
                apiVersion: "client.authentication.k8s.io/v1", installHint: nil, provideClusterInfo: false), server: "s")
        _ = try await expired.credential(timeout: .seconds(10))
        _ = try await expired.credential(timeout: .seconds(10))
        #expect(try String(contentsOfFile: counter, encoding: .utf8).count == 8, "a credential about to expire is renewed")

        let failing = ExecCredentialProvider(
            config: .init(
                command: "/bin/false", args: [], env: [], apiVersion: "v1",
                installHint: "brew install it", provideClusterInfo: false), server: "s")
        await #expect(throws: KubernetesAuthError.self) { try await failing.credential(timeout: .seconds(5)) }
    }
}

@Suite("Workload readiness")
struct WorkloadReadinessTests {
    func object(_ json: String) throws -> WorkloadObject {
        try JSONDecoder().decode(WorkloadObject.self, from: Data(json.utf8))
    }

    @Test(
        "deployments, as kubectl rollout status decides",
        arguments: [
            (#"{"metadata":{"name":"w","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":1}}"#, 1, false, "spec update to be observed"),
            (
                #"{"metadata":{"name":"w","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1}}"#, 1, false,
                "0 out of 1 new replicas"
            ),
            (
                #"{"metadata":{"name":"w","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":2,"updatedReplicas":1}}"#, 1, false,
                "1 old replicas are pending"
            ),
            (
                #"{"metadata":{"name":"w","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1}}"#, 1, false,
                "0 of 1 updated replicas are ready"
            ),
            (
                #"{"metadata":{"name":"w","generation":2},"spec":{"replicas":1},"status":{"observedGeneration":2,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1}}"#,
                1, true, "successfully rolled out"
            ),
            (
                #"{"metadata":{"name":"w","generation":3},"spec":{"replicas":0},"status":{"observedGeneration":3,"replicas":1}}"#, 0, false,
                "1 replicas still running"
            ),
            (#"{"metadata":{"name":"w","generation":3},"spec":{"replicas":0},"status":{"observedGeneration":3}}"#, 0, true, "no replicas left"),
            (#"{"metadata":{"name":"w","generation":1},"spec":{"replicas":0},"status":{"observedGeneration":1}}"#, 1, false, "waiting for 1"),
        ])
    func deployment(json: String, target: Int, ready: Bool, message: String) throws {
        let readiness = WorkloadReadiness.evaluate(kind: .deployment, object: try object(json), target: target)
        #expect(readiness.isReady == ready)
        #expect(readiness.message.contains(message), "\(readiness.message)")
    }

    @Test("a deployment past its progress deadline fails at once")
    func progressDeadline() throws {
        let json =
            #"{"metadata":{"name":"w","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"conditions":[{"type":"Progressing","status":"False","reason":"ProgressDeadlineExceeded","message":"ReplicaSet has timed out progressing."}]}}"#
        let readiness = WorkloadReadiness.evaluate(kind: .deployment, object: try object(json), target: 1)
        #expect(!readiness.isReady && readiness.failure?.contains("exceeded its progress deadline") == true)
    }

    @Test(
        "statefulsets",
        arguments: [
            (#"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1},"status":{}}"#, 1, false, "spec update to be observed"),
            (
                #"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1}}"#, 1, false,
                "Waiting for 1 pods to be ready"
            ),
            (
                #"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}},"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"updatedReplicas":0}}"#,
                1, false, "partitioned roll out"
            ),
            (
                #"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1,"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}}},"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"updatedReplicas":1}}"#,
                1, true, "roll out complete"
            ),
            (
                #"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"currentRevision":"a","updateRevision":"b"}}"#,
                1, false, "rolling update to complete"
            ),
            (
                #"{"metadata":{"name":"s","generation":1},"spec":{"replicas":1},"status":{"observedGeneration":1,"replicas":1,"readyReplicas":1,"currentRevision":"b","updateRevision":"b"}}"#,
                1, true, "rolling update complete"
            ),
            (#"{"metadata":{"name":"s","generation":2},"spec":{"replicas":0},"status":{"observedGeneration":2,"replicas":1}}"#, 0, false, "still running"),
            (#"{"metadata":{"name":"s","generation":2},"spec":{"replicas":0},"status":{"observedGeneration":2}}"#, 0, true, "no replicas left"),
        ])
    func statefulset(json: String, target: Int, ready: Bool, message: String) throws {
        let readiness = WorkloadReadiness.evaluate(kind: .statefulset, object: try object(json), target: target)
        #expect(readiness.isReady == ready)
        #expect(readiness.message.contains(message), "\(readiness.message)")
    }

    @Test("pod diagnostics name the waiting reason, unschedulable conditions and the last termination; ready and completed pods say so")
    func diagnostics() throws {
        let pull = try JSONDecoder().decode(
            PodObject.self,
            from: Data(
                #"{"metadata":{"name":"web-1"},"status":{"phase":"Pending","containerStatuses":[{"name":"web","ready":false,"restartCount":0,"state":{"waiting":{"reason":"ImagePullBackOff","message":"Back-off pulling image \"pxbbq:9\""}}}]}}"#
                    .utf8))
        #expect(PodDiagnostics.explain(pull) == #"pod web-1: container web waiting: ImagePullBackOff — Back-off pulling image "pxbbq:9""#)
        let crash = try JSONDecoder().decode(
            PodObject.self,
            from: Data(
                #"{"metadata":{"name":"mongo-0"},"status":{"containerStatuses":[{"name":"mongo","ready":false,"restartCount":4,"state":{"waiting":{"reason":"CrashLoopBackOff"}},"lastState":{"terminated":{"reason":"OOMKilled","exitCode":137}}}]}}"#
                    .utf8))
        #expect(
            PodDiagnostics.explain(crash)
                == "pod mongo-0: container mongo waiting: CrashLoopBackOff; container mongo restarted 4×, last terminated: OOMKilled (exit 137)")
        let unschedulable = try JSONDecoder().decode(
            PodObject.self,
            from: Data(
                #"{"metadata":{"name":"p"},"status":{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"Unschedulable","message":"0/3 nodes are available: 3 Insufficient memory."}]}}"#
                    .utf8))
        #expect(PodDiagnostics.explain(unschedulable) == "pod p: not scheduled: Unschedulable — 0/3 nodes are available: 3 Insufficient memory.")
        let ready = try JSONDecoder().decode(
            PodObject.self, from: Data(#"{"metadata":{"name":"r"},"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}"#.utf8))
        #expect(PodDiagnostics.explain(ready) == "pod r: ready")
        let done = try JSONDecoder().decode(
            PodObject.self,
            from: Data(
                #"{"metadata":{"name":"j"},"status":{"phase":"Succeeded","conditions":[{"type":"Ready","status":"False","reason":"PodCompleted"}]}}"#.utf8))
        #expect(PodDiagnostics.explain(done) == "pod j: completed")
    }

    @Test("label selectors become the labelSelector query")
    func selector() throws {
        let selector = try JSONDecoder().decode(
            LabelSelector.self,
            from: Data(
                #"{"matchLabels":{"app":"web","tier":"front"},"matchExpressions":[{"key":"env","operator":"In","values":["a","b"]},{"key":"legacy","operator":"DoesNotExist"}]}"#
                    .utf8))
        #expect(selector.query == "app=web,tier=front,env in (a,b),!legacy")
    }
}
