import Foundation

extension KubernetesClient {
    /// Asks the API server whether this client's user may make a call (a
    /// `SelfSubjectAccessReview`, what `kubectl auth can-i` sends): `allowed`, and the
    /// authorizer's `reason` when it gave one. Every authenticated user may ask.
    ///
    /// - SeeAlso: https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
    public func canI(verb: String, group: String, resource: String, subresource: String? = nil, name: String? = nil,
                     namespace: String?, deadline: Deadline) async throws -> (allowed: Bool, reason: String?) {
        var attributes: [String: String] = ["verb": verb, "group": group, "resource": resource]
        attributes["subresource"] = subresource
        attributes["name"] = name
        attributes["namespace"] = namespace
        let review: [String: Any] = ["apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                                     "spec": ["resourceAttributes": attributes]]
        let body = try JSONSerialization.data(withJSONObject: review, options: [.sortedKeys])
        let response = try await request(.createAccessReview, namespace: nil, body: body, contentType: "application/json",
                                         retry: .kubernetesCreate, deadline: deadline)
        let answer = try decode(AccessReviewAnswer.self, response.body, permission: .createAccessReview, namespace: nil, name: nil)
        let reason = answer.status?.reason.flatMap { $0.isEmpty ? nil : $0 } ?? answer.status?.evaluationError
        return (answer.status?.allowed ?? false, reason)
    }

    /// `canI` for one of taster's declared permissions (`taster check` asks for each).
    public func canI(_ permission: KubernetesPermission, name: String? = nil, namespace: String?,
                     deadline: Deadline) async throws -> (allowed: Bool, reason: String?) {
        try await canI(verb: permission.verb, group: permission.group, resource: permission.baseResource,
                       subresource: permission.subresource, name: name, namespace: namespace, deadline: deadline)
    }
}

/// The part of a `SelfSubjectAccessReview` answer taster reads.
struct AccessReviewAnswer: Decodable {
    struct Status: Decodable {
        var allowed: Bool?
        var denied: Bool?
        var reason: String?
        var evaluationError: String?
    }

    var status: Status?
}
