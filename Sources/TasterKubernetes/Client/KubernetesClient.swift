import FoundationEssentials
import Logging
import Synchronization
import TasterCore
import TasterHTTP
import TasterSupport

/// taster's Kubernetes API client: one `KubeConnection` (a kubeconfig context, or the pod's
/// service account loaded as one), sent through the shared `HTTPClient`.
///
/// Every call goes through `request` or `stream`, which take the `KubernetesPermission` the call
/// needs and refuse one the client was not created with — the lists in `KubernetesPermissions`
/// are what the shipped Role grants, so RBAC cannot drift from the code. Debug builds stop at an
/// undeclared call.
///
/// Per request: the token (a token file is read again for every attempt; an exec plugin's
/// credential is cached until it expires, and after a 401 the plugin is asked once more), the
/// cluster's CA, a client certificate from file or data. Reads and idempotent writes are
/// retried under `RetryPolicy.kubernetes` inside the run's deadline; error answers become
/// `KubernetesError`s.
package final class KubernetesClient: Sendable {
    package let connection: KubeConnection
    /// The calls this client may make.
    package let declared: [KubernetesPermission]
    let credentials: KubernetesCredentials
    let configuration: HTTPClientConfiguration
    /// The server URL requests go to (`connection.server`, or its `tls-server-name` pinned to its address).
    let server: String
    let http: HTTPClient
    /// The client for an exec plugin's client certificate, made when the plugin first returns one.
    private let execCertificateClient = Mutex<(certificate: Data, client: HTTPClient)?>(nil)
    let retry: RetryPolicy
    let logger: Logger
    /// Debug builds stop at an undeclared call; tests of the gate itself turn that off.
    let trapsOnUndeclaredCall: Bool

    /// A client for `connection` that may make the calls in `permissions`.
    ///
    /// Throws `KubeConfigError` (exit 2) when the connection's files cannot be used.
    package convenience init(
        connection: KubeConnection, permissions: [KubernetesPermission], logger: Logger,
        retry: RetryPolicy = .kubernetes, requestTimeout: Duration = .seconds(30)
    ) throws(KubeConfigError) {
        try self.init(
            connection: connection, permissions: permissions, logger: logger, retry: retry,
            requestTimeout: requestTimeout, trapsOnUndeclaredCall: true)
    }

    init(
        connection: KubeConnection, permissions: [KubernetesPermission], logger: Logger, retry: RetryPolicy,
        requestTimeout: Duration, trapsOnUndeclaredCall: Bool
    ) throws(KubeConfigError) {
        self.trapsOnUndeclaredCall = trapsOnUndeclaredCall
        self.connection = connection
        declared = permissions
        credentials = KubernetesCredentials(connection.credentials, server: connection.server)
        (configuration, server) = try Self.httpConfiguration(for: connection, requestTimeout: requestTimeout)
        http = HTTPClient(configuration: configuration, logger: logger)
        self.retry = retry
        self.logger = logger
        if connection.insecureSkipTLSVerify {
            logger.warning(
                "TLS verification of \(URLDisplay.show(connection.server)) is off: the kubeconfig (\(connection.source)) says insecure-skip-tls-verify: true — taster cannot tell the real API server from an impostor"
            )
        }
    }

    /// Whose credentials requests carry, for messages: `user "taster" of context "prod" (/root/.kube/config)`.
    package var credentialsOwner: String {
        "user \"\(connection.userName)\" of context \"\(connection.contextName)\" (\(connection.source))"
    }

    // MARK: - Requests

    /// Sends one call and returns its 2xx answer; any other answer throws `KubernetesError`
    /// (after the retries `retry` allows, default `RetryPolicy.kubernetes`).
    ///
    /// The path is the permission's: `/apis/GROUP/VERSION[/namespaces/NS]/RESOURCE[/NAME][/SUBRESOURCE]`,
    /// the HTTP method its verb's (get and list GET, create POST, patch PATCH, update PUT,
    /// delete DELETE). `notFoundAdvice` replaces the generic advice of a 404.
    @discardableResult
    package func request(
        _ permission: KubernetesPermission, namespace: String?, name: String? = nil,
        query: [(String, String)] = [], body: Data? = nil, contentType: String? = nil,
        retry: RetryPolicy? = nil, notFoundAdvice: String? = nil, deadline: Deadline
    ) async throws -> HTTPResponse {
        let permission = try checked(permission)
        precondition(permission.verb != "watch", "watches go through stream(_:)")
        let method = Self.method(for: permission.verb)
        let url = url(for: permission, namespace: namespace, name: name, query: query)
        let policy = retry ?? self.retry
        var refreshed = false
        while true {
            let prepared = try await credentials.prepare(timeout: min(deadline.remaining, .seconds(60)))
            let client = try httpClient(for: prepared)
            let credentials = self.credentials
            let response = try await client.execute(retry: policy, deadline: deadline) { _ in
                var headers: HTTPHeaders = ["Accept": "application/json"]
                if let authorization = try credentials.authorization(prepared) { headers["Authorization"] = authorization }
                if let contentType { headers["Content-Type"] = contentType }
                return HTTPRequest(method: method, url: url, headers: headers, body: body)
            }
            if response.status == 401, !refreshed, credentials.refreshesAfterUnauthorized {
                refreshed = true
                credentials.invalidate()
                logger.info("Kubernetes API answered 401 to \(method) \(URLDisplay.show(url)): getting the credentials again and trying once more")
                continue
            }
            guard response.isSuccess else {
                throw failure(
                    status: response.status, body: response.body, permission: permission, namespace: namespace, name: name,
                    method: method, url: url, attempts: response.attempts, notFoundAdvice: notFoundAdvice)
            }
            return response
        }
    }

    /// `request`, decoding the answer as `T`.
    package func get<T: Decodable>(
        _ type: T.Type, _ permission: KubernetesPermission, namespace: String?, name: String? = nil,
        query: [(String, String)] = [], notFoundAdvice: String? = nil, deadline: Deadline
    ) async throws -> T {
        let response = try await request(
            permission, namespace: namespace, name: name, query: query,
            notFoundAdvice: notFoundAdvice, deadline: deadline)
        return try decode(type, response.body, permission: permission, namespace: namespace, name: name)
    }

    /// Opens a streamed call — a watch (`watch` verb: `watch=1` is added) or a log that follows
    /// — and returns once the API server has answered with its headers; iterate the lines.
    /// Not retried (resuming a watch is the caller's business); an error answer throws
    /// `KubernetesError`. Cancelling the consuming task closes the connection.
    package func stream(
        _ permission: KubernetesPermission, namespace: String?, name: String? = nil,
        query: [(String, String)] = [], deadline: Deadline? = nil
    ) async throws -> HTTPLineStream {
        let permission = try checked(permission)
        let query = permission.verb == "watch" ? [("watch", "1")] + query : query
        let url = url(for: permission, namespace: namespace, name: name, query: query)
        var refreshed = false
        while true {
            let prepared = try await credentials.prepare(timeout: min(deadline?.remaining ?? .seconds(60), .seconds(60)))
            let client = try httpClient(for: prepared)
            var headers: HTTPHeaders = ["Accept": permission.subresource == "log" ? "text/plain, */*" : "application/json"]
            if let authorization = try credentials.authorization(prepared) { headers["Authorization"] = authorization }
            let outcome: Result<HTTPLineStream, any Error>
            do {
                outcome = .success(try await client.streamLines(HTTPRequest(method: .get, url: url, headers: headers), deadline: deadline))
            } catch {
                outcome = .failure(error)
            }
            switch outcome {
            case .success(let stream): return stream
            case .failure(let error as HTTPStatusError):
                if error.status == 401, !refreshed, credentials.refreshesAfterUnauthorized {
                    refreshed = true
                    credentials.invalidate()
                    continue
                }
                throw failure(
                    status: error.status, body: error.body, permission: permission, namespace: namespace, name: name,
                    method: .get, url: url, attempts: 1, notFoundAdvice: nil)
            case .failure(let error): throw error
            }
        }
    }

    /// Decodes an answer, or throws `KubernetesError` (`unreadableResponse`) saying what was wrong.
    func decode<T: Decodable>(_ type: T.Type, _ body: Data, permission: KubernetesPermission, namespace: String?, name: String?) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: body)
        } catch {
            throw KubernetesError(
                kind: .unreadableResponse, status: 200, permission: permission, namespace: namespace, name: name,
                method: Self.method(for: permission.verb).rawValue,
                url: URLDisplay.show(url(for: permission, namespace: namespace, name: name, query: [])),
                serverMessage: "not a \(T.self): \(Self.describe(error))", reason: nil, user: nil,
                credentials: credentialsOwner)
        }
    }

    // MARK: - Parts

    /// The declared permission matching `permission`'s call; an undeclared one is a bug.
    func checked(_ permission: KubernetesPermission) throws -> KubernetesPermission {
        guard let match = declared.first(where: { $0.sameCall(as: permission) }) else {
            if trapsOnUndeclaredCall {
                assertionFailure("undeclared Kubernetes API call: \(permission); declare it in KubernetesPermissions")
            }
            throw UndeclaredPermissionError(permission: permission, declared: declared)
        }
        return match
    }

    func failure(
        status: Int, body: Data, permission: KubernetesPermission, namespace: String?, name: String?,
        method: HTTPMethod, url: String, attempts: Int, notFoundAdvice: String?
    ) -> KubernetesError {
        var error = KubernetesError.from(
            status: status, body: body, permission: permission, namespace: namespace, name: name,
            method: method.rawValue, url: URLDisplay.show(url), credentials: credentialsOwner,
            attempts: attempts)
        switch error.kind {
        case .unauthorized: error.advice = credentials.unauthorizedAdvice
        case .notFound: error.advice = notFoundAdvice
        default: break
        }
        return error
    }

    /// The HTTP client for this request's credentials: the shared one, or (for an exec plugin
    /// that returns a client certificate) one that presents that certificate.
    private func httpClient(for prepared: KubernetesCredentials.Prepared) throws -> HTTPClient {
        guard let pair = prepared.clientCertificate else { return http }
        return execCertificateClient.withLock { cached in
            if let cached, cached.certificate == pair.certificate { return cached.client }
            var configuration = self.configuration
            configuration.tls.clientCertificate = .pem(pair.certificate)
            configuration.tls.clientKey = .pem(pair.key)
            let client = HTTPClient(configuration: configuration, logger: logger)
            cached = (pair.certificate, client)
            return client
        }
    }

    /// `https://server/apis/apps/v1/namespaces/ns/deployments/web/scale?k=v`.
    func url(for permission: KubernetesPermission, namespace: String?, name: String?, query: [(String, String)]) -> String {
        var path = permission.group.isEmpty ? "/api/v1" : "/apis/\(permission.group)/\(KubernetesPermission.apiVersion(group: permission.group))"
        if let namespace { path += "/namespaces/" + PercentEncoding.escapeUserInfo(namespace) }
        path += "/" + permission.baseResource
        if let name { path += "/" + PercentEncoding.escapeUserInfo(name) }
        if let subresource = permission.subresource { path += "/" + subresource }
        if !query.isEmpty {
            path += "?" + query.map { "\($0.0)=\(PercentEncoding.escapeUserInfo($0.1))" }.joined(separator: "&")
        }
        return server + path
    }

    static func method(for verb: String) -> HTTPMethod {
        switch verb {
        case "create": .post
        case "patch": .patch
        case "update": .put
        case "delete", "deletecollection": .delete
        default: .get
        }
    }

    /// A decoding error in a few words: which field was missing or of the wrong type.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        }
        switch decoding {
        case .keyNotFound(let key, let context): return "missing \(path(context)).\(key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context): return "unexpected value at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context): return "not JSON (\(context.debugDescription))"
        @unknown default: return "\(error)"
        }
    }
}
