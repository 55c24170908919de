import FoundationEssentials
import TasterSupport

extension KubernetesClient {
    /// Asks the API server whether this client's user may make a call (a
    /// `SelfSubjectAccessReview`, what `kubectl auth can-i` sends): `allowed`, and the
    /// authorizer's `reason` when it gave one. Every authenticated user may ask.
    ///
    /// - SeeAlso: https://kubernetes.io/docs/reference/access-authn-authz/authorization/#checking-api-access
    package func canI(
        verb: String, group: String, resource: String, subresource: String? = nil, name: String? = nil,
        namespace: String?, deadline: Deadline
    ) async throws -> (allowed: Bool, reason: String?) {
        let review = AccessReviewRequest(
            spec: .init(
                resourceAttributes: .init(
                    namespace: namespace, verb: verb, group: group, resource: resource, subresource: subresource, name: name)))
        let body = try JSONEncoder().encode(review)
        let response = try await request(
            .createAccessReview, namespace: nil, body: body, contentType: "application/json",
            retry: .kubernetesCreate, deadline: deadline)
        let answer = try decode(AccessReviewAnswer.self, response.body, permission: .createAccessReview, namespace: nil, name: nil)
        let reason = answer.status?.reason.flatMap { $0.isEmpty ? nil : $0 } ?? answer.status?.evaluationError
        return (answer.status?.allowed ?? false, reason)
    }

    /// `canI` for one of taster's declared permissions (`taster check` asks for each).
    package func canI(
        _ permission: KubernetesPermission, name: String? = nil, namespace: String?,
        deadline: Deadline
    ) async throws -> (allowed: Bool, reason: String?) {
        try await canI(
            verb: permission.verb, group: permission.group, resource: permission.baseResource,
            subresource: permission.subresource, name: name, namespace: namespace, deadline: deadline)
    }
}

/// A `SelfSubjectAccessReview` asking about one call.
struct AccessReviewRequest: Encodable {
    struct Spec: Encodable {
        struct ResourceAttributes: Encodable {
            var namespace: String?
            var verb: String
            var group: String
            var resource: String
            var subresource: String?
            var name: String?
        }

        var resourceAttributes: ResourceAttributes
    }

    var apiVersion = "authorization.k8s.io/v1"
    var kind = "SelfSubjectAccessReview"
    var spec: Spec
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
