import Foundation
import Logging

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// The Kubernetes API emulator's control API (`/_emulator/…`, testenv/kubeemu/README.md) and a
/// few scene-setting calls to its Kubernetes API with the stack's token, over taster's own HTTP
/// client. The emulator is shared by tests running in parallel: use a namespace of your own,
/// per-workload settings (never the global ones), faults on your namespace's paths, and a token
/// of your own when you read the request log by user.
struct EmulatorControl: Sendable {
    let url: String
    let adminToken: String
    let kubeToken: String
    let http: HTTPClient

    init() throws {
        url = try TestStack.kubeURL
        adminToken = try TestStack.value("TESTENV_KUBE_ADMIN_TOKEN")
        kubeToken = try TestStack.value("TESTENV_KUBE_TOKEN")
        let ca = try TestStack.caFile
        http = HTTPClient(
            configuration: HTTPClientConfiguration(
                serviceName: "kubeemu control API",
                tls: TLSConfiguration(certificateAuthority: .file(ca))),
            logger: Logger(label: "emulator-control") { _ in SwiftLogNoOpLogHandler() })
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A control API call; returns the parsed JSON answer.
    @discardableResult
    func call(_ method: HTTPMethod, _ path: String, _ body: Any? = nil) async throws -> Any {
        try await send(method, path, body, token: adminToken, expecting: 200..<300).json
    }

    /// A Kubernetes API call with the stack's token (or `token`): status and parsed answer.
    func kube(
        _ method: HTTPMethod, _ path: String, _ body: Any? = nil, contentType: String = "application/json",
        token: String? = nil
    ) async throws -> (status: Int, json: Any) {
        try await send(method, path, body, token: token ?? kubeToken, expecting: nil, contentType: contentType)
    }

    private func send(
        _ method: HTTPMethod, _ path: String, _ body: Any?, token: String, expecting: Range<Int>?,
        contentType: String = "application/json"
    ) async throws -> (status: Int, json: Any) {
        let data = try body.map { try JSONSerialization.data(withJSONObject: $0) }
        let request = HTTPRequest(
            method: method, url: url + path,
            headers: ["Authorization": "Bearer \(token)", "Content-Type": contentType, "Accept": "application/json"],
            body: data)
        let response = try await http.send(request, deadline: Deadline(budget: .seconds(30)))
        let json = (try? JSONSerialization.jsonObject(with: response.body, options: [.fragmentsAllowed])) ?? String(decoding: response.body, as: UTF8.self)
        if let expecting, !expecting.contains(response.status) {
            throw Failure(description: "\(method) \(path) answered \(response.status): \(json)")
        }
        return (response.status, json)
    }

    // MARK: - Control API

    func reset(namespace: String) async throws {
        try await call(.post, "/_emulator/reset", ["namespace": namespace])
    }

    /// Per-workload behaviour: `["readyDelaySeconds": NSNull()]` (ready only when told), a delay, `["unready": [...]]`.
    func workload(_ namespace: String, _ kind: String, _ name: String, _ settings: [String: Any]) async throws {
        try await call(.put, "/_emulator/workloads/\(namespace)/\(kind)/\(name)", settings)
    }

    /// Makes the workload ready now; returns `readyAt` (Unix seconds): when a watch can first see it.
    func ready(_ namespace: String, _ kind: String, _ name: String) async throws -> Double {
        let answer = try await call(.post, "/_emulator/workloads/\(namespace)/\(kind)/\(name)/ready") as? [String: Any]
        guard let readyAt = answer?["readyAt"] as? Double else { throw Failure(description: "no readyAt in \(String(describing: answer))") }
        return readyAt
    }

    func job(_ namespace: String, _ name: String, _ behaviour: [String: Any]) async throws {
        try await call(.put, "/_emulator/jobs/\(namespace)/\(name)", behaviour)
    }

    /// Adds a fault (README "Faults"); returns its id.
    @discardableResult
    func fault(_ fault: [String: Any]) async throws -> String {
        let answer = try await call(.post, "/_emulator/faults", fault) as? [String: Any]
        return "\(answer?["id"] ?? "")"
    }

    func addToken(_ token: String, user: String, groups: [String]? = nil) async throws {
        var body: [String: Any] = ["token": token, "user": user]
        if let groups { body["groups"] = groups }
        try await call(.post, "/_emulator/tokens", body)
    }

    func removeToken(_ token: String) async throws {
        try await call(.delete, "/_emulator/tokens/\(PercentEncoding.escapeUserInfo(token))")
    }

    /// Appends a permission rule (`effect`, `verbs`, `apiGroups`, `resources`, `namespaces`, …).
    func addRule(_ rule: [String: Any]) async throws {
        try await call(.post, "/_emulator/authz/rules", rule)
    }

    /// Request log entries after `since`, filtered (`namespace`, `user`, `verb`, `method`, `path`, …).
    func requests(since: Int = 0, _ filters: [String: String] = [:]) async throws -> [[String: Any]] {
        let query = ([("since", String(since))] + filters.sorted { $0.key < $1.key }.map { ($0.key, $0.value) })
            .map { "\($0.0)=\(PercentEncoding.escapeUserInfo($0.1))" }.joined(separator: "&")
        let answer = try await call(.get, "/_emulator/requests?" + query) as? [String: Any]
        return answer?["items"] as? [[String: Any]] ?? []
    }

    /// The request log's position now, for `requests(since:)`.
    func mark() async throws -> Int {
        let answer = try await call(.get, "/_emulator/requests?since=\(1 << 62)") as? [String: Any]
        return answer?["last"] as? Int ?? 0
    }

    func compact() async throws {
        try await call(.post, "/_emulator/compact")
    }

    // MARK: - Scenes

    /// Creates an object through the Kubernetes API (the controllers take it from there).
    func create(_ object: [String: Any]) async throws {
        let metadata = object["metadata"] as? [String: Any] ?? [:]
        let namespace = metadata["namespace"] as? String ?? "default"
        let kind = object["kind"] as? String ?? ""
        let collection =
            switch kind {
            case "Deployment": "/apis/apps/v1/namespaces/\(namespace)/deployments"
            case "StatefulSet": "/apis/apps/v1/namespaces/\(namespace)/statefulsets"
            case "Job": "/apis/batch/v1/namespaces/\(namespace)/jobs"
            case "Application": "/apis/argoproj.io/v1alpha1/namespaces/\(namespace)/applications"
            default: "/api/v1/namespaces/\(namespace)/\(kind.lowercased())s"
            }
        let (status, answer) = try await kube(.post, collection, object)
        guard status == 201 else { throw Failure(description: "creating \(kind) answered \(status): \(answer)") }
    }

    static func deployment(_ name: String, _ namespace: String, replicas: Int = 0) -> [String: Any] {
        let labels = ["app": name]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": ["name": name, "namespace": namespace, "labels": labels],
            "spec": [
                "replicas": replicas, "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": name, "image": "nginx:1.27"]]]],
            ],
        ]
    }

    static func statefulset(_ name: String, _ namespace: String, replicas: Int = 0) -> [String: Any] {
        let labels = ["app": name]
        return [
            "apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": ["name": name, "namespace": namespace],
            "spec": [
                "replicas": replicas, "serviceName": name, "podManagementPolicy": "Parallel", "selector": ["matchLabels": labels],
                "template": ["metadata": ["labels": labels], "spec": ["containers": [["name": name, "image": "mongo:7.0"]]]],
            ],
        ]
    }

    static func job(_ name: String, _ namespace: String, containers: [String] = ["test"], backoffLimit: Int = 0) -> [String: Any] {
        [
            "apiVersion": "batch/v1", "kind": "Job", "metadata": ["name": name, "namespace": namespace],
            "spec": [
                "backoffLimit": backoffLimit,
                "template": ["spec": ["restartPolicy": "Never", "containers": containers.map { ["name": $0, "image": "busybox:1.36"] }]],
            ],
        ]
    }
}
