import FoundationEssentials
import TasterSupport

/// The Kubernetes API answered a request with an error (after the retries `RetryPolicy.kubernetes`
/// allows), or with something taster cannot read. Says which call failed on which object, what
/// the API server said (its `Status` message) and what to do; a 403 also names the user or
/// service account and shows the Role rule that would allow the call. Exit 3.
package struct KubernetesError: TasterError {
    package enum Kind: Sendable, Equatable {
        /// 401: the credentials were refused.
        case unauthorized
        /// 403: RBAC denies the call.
        case forbidden
        /// 404: the object (or its namespace) does not exist.
        case notFound
        /// 409: the object kept changing under taster, or already exists.
        case conflict
        /// 422 (or 400): the API server refused the request as invalid.
        case invalid
        /// 429: throttled by API priority and fairness.
        case throttled
        /// 5xx: the API server (or something in front of it) failed.
        case serverError
        /// Any other status.
        case unexpectedStatus
        /// A 2xx answer taster could not read.
        case unreadableResponse
        /// The object went away while taster waited for it.
        case deleted
    }

    package var kind: Kind
    /// The HTTP status, when there was an answer.
    package var status: Int?
    /// The permission the call needed: verb, API group, resource/subresource.
    package var permission: KubernetesPermission
    package var namespace: String?
    package var name: String?
    package var method: String
    /// The URL, secrets masked.
    package var url: String
    /// The API server's own words (`Status.message`), or what could not be read.
    package var serverMessage: String?
    /// `Status.reason`: `Forbidden`, `NotFound`, `Conflict`…
    package var reason: String?
    /// The user the API server named in a 403 message (`system:serviceaccount:ns:sa`).
    package var user: String?
    /// Whose credentials taster used: `user "taster" of context "prod" (/home/me/.kube/config)`.
    package var credentials: String
    /// What to do, for the kinds whose remedy depends on the caller (a 404 of a workload names
    /// TASTER_WORKLOADS, of a Job the --namespace flag); nil uses the kind's own advice.
    package var advice: String?
    /// How many attempts were made.
    package var attempts: Int = 1

    package var exitCode: TasterExitCode { .dependency }

    /// `deployments.apps "web" in namespace "pxbbq"`.
    package var object: String {
        var text = permission.baseResource + (permission.group.isEmpty ? "" : ".\(permission.group)")
        if let name { text += " \"\(name)\"" }
        if let namespace { text += " in namespace \"\(namespace)\"" }
        return text
    }

    /// `patch deployments/scale "web" (API group "apps") in namespace "pxbbq"`.
    var call: String {
        var text = "\(permission.verb) \(permission.resource)"
        if let name { text += " \"\(name)\"" }
        text += permission.group.isEmpty ? " (core API group)" : " (API group \"\(permission.group)\")"
        if let namespace { text += " in namespace \"\(namespace)\"" }
        return text
    }

    package var description: String {
        let said = serverMessage.map { ": \($0)" } ?? ""
        let tries = attempts > 1 ? " after \(attempts) attempts" : ""
        switch kind {
        case .unauthorized:
            return "Kubernetes API \(method) \(url) answered 401 Unauthorized\(tries): the credentials of \(credentials) were refused — "
                + (advice ?? "check the kubeconfig user's token, client certificate or exec plugin")
        case .forbidden:
            let who = user.map(Self.describe(user:)) ?? credentials
            let scope = namespace.map { "a Role in namespace \"\($0)\"" } ?? "a ClusterRole"
            return "Kubernetes API refused to \(call) for \(who) (403 Forbidden\(said)). "
                + "Grant it with this rule in \(scope) bound to \(who):\n"
                + permission.roleRule(resourceNames: name.map { [$0] } ?? [])
        case .notFound:
            return "Kubernetes API: \(object) not found (\(method) \(url) answered 404\(said)) — "
                + (advice ?? "check the name and the namespace (TASTER_NAMESPACE)")
        case .conflict:
            return "Kubernetes API \(method) \(url) answered 409 Conflict\(tries)\(said) — "
                + (advice ?? "something else keeps changing \(object); try again, or find what else manages it (an HPA, another controller)")
        case .invalid:
            return "Kubernetes API refused \(call) as invalid (HTTP \(status ?? 422)\(said))"
                + (advice.map { " — \($0)" } ?? "")
        case .throttled:
            return "Kubernetes API kept answering 429 Too Many Requests\(tries) to \(method) \(url)\(said) — "
                + (advice ?? "the API server is throttling this client (API priority and fairness); try again later or ask the cluster's admins")
        case .serverError:
            return "Kubernetes API \(method) \(url) failed with HTTP \(status ?? 500)\(reason.map { " \($0)" } ?? "")\(tries)\(said) — "
                + (advice ?? "the API server (or a proxy in front of it) is failing; check the control plane's health")
        case .unexpectedStatus:
            return "Kubernetes API \(method) \(url) answered HTTP \(status ?? 0)\(tries)\(said)"
                + (advice.map { " — \($0)" } ?? "")
        case .unreadableResponse:
            return "Kubernetes API \(method) \(url) answered with something taster cannot read\(said)"
                + " — is the server a Kubernetes API server (check the kubeconfig's server)?"
        case .deleted:
            return "\(object) was deleted while taster waited for it" + (advice.map { " — \($0)" } ?? "")
        }
    }

    /// `service account "pxbbq/taster" (User "system:serviceaccount:pxbbq:taster")`.
    static func describe(user: String) -> String {
        let parts = user.split(separator: ":", omittingEmptySubsequences: false)
        if parts.count == 4, parts[0] == "system", parts[1] == "serviceaccount" {
            return "service account \"\(parts[2])/\(parts[3])\" (User \"\(user)\")"
        }
        return "User \"\(user)\""
    }

    /// The user a 403 message names: `… User "system:serviceaccount:ns:sa" cannot …`.
    static func user(inForbiddenMessage message: String) -> String? {
        guard let start = message.firstRange(of: "User \"") else { return nil }
        let rest = message[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// The error for a non-2xx `status` with `body` (a `Status` object, usually).
    static func from(
        status: Int, body: Data, permission: KubernetesPermission, namespace: String?,
        name: String?, method: String, url: String, credentials: String, attempts: Int
    ) -> KubernetesError {
        let statusObject = try? JSONDecoder().decode(StatusObject.self, from: body)
        var message = statusObject?.message
        if message == nil {
            let text = String(decoding: body.prefix(300), as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
            message = text.isEmpty ? nil : text
        }
        let kind: Kind =
            switch status {
            case 401: .unauthorized
            case 403: .forbidden
            case 404: .notFound
            case 409: .conflict
            case 400, 422: .invalid
            case 429: .throttled
            case 500...599: .serverError
            default: .unexpectedStatus
            }
        return KubernetesError(
            kind: kind, status: status, permission: permission, namespace: namespace, name: name,
            method: method, url: url, serverMessage: message.map { SecretRedactor.shared.scrub($0) },
            reason: statusObject?.reason, user: message.flatMap(user(inForbiddenMessage:)),
            credentials: credentials, advice: nil, attempts: attempts)
    }
}

/// A call was made that the client's declared permissions do not list: a bug in taster (the
/// shipped Role would deny it). Debug builds stop at once; release builds fail the call.
package struct UndeclaredPermissionError: TasterError {
    package let permission: KubernetesPermission
    package let declared: [KubernetesPermission]
    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        "taster tried to \(permission) without declaring it (declared: \(declared.map(\.description).joined(separator: ", "))) — this is a bug in taster; please report it"
    }
}
