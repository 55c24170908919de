import TasterCore

/// The permission of each Kubernetes API call taster makes. `KubernetesClient.request` takes one
/// of these and refuses a call that is not in the client's declared list
/// (`KubernetesPermissions.hooks`, `.argoApplication`, `.awaitJob`, `.everyAuthenticatedUser`).
extension KubernetesPermission {
    static func getWorkload(_ kind: WorkloadKind) -> Self { .init("get", "apps", kind.resource, namedWorkloadsOnly: true) }
    static func listWorkload(_ kind: WorkloadKind) -> Self { .init("list", "apps", kind.resource, namedWorkloadsOnly: true) }
    static func watchWorkload(_ kind: WorkloadKind) -> Self { .init("watch", "apps", kind.resource, namedWorkloadsOnly: true) }
    static func getScale(_ kind: WorkloadKind) -> Self { .init("get", "apps", kind.resource + "/scale", namedWorkloadsOnly: true) }
    static func patchScale(_ kind: WorkloadKind) -> Self { .init("patch", "apps", kind.resource + "/scale", namedWorkloadsOnly: true) }

    static let getPod = Self("get", "", "pods")
    static let listPods = Self("list", "", "pods")
    static let watchPods = Self("watch", "", "pods")
    static let getPodLog = Self("get", "", "pods/log")
    static let createEvent = Self("create", "", "events")

    static let getJob = Self("get", "batch", "jobs")
    static let listJobs = Self("list", "batch", "jobs")
    static let watchJob = Self("watch", "batch", "jobs")
    static let deleteJob = Self("delete", "batch", "jobs")

    static let getApplication = Self("get", "argoproj.io", "applications")
    static let createAccessReview = Self("create", "authorization.k8s.io", "selfsubjectaccessreviews")

    /// The API version taster speaks for each group it uses.
    static func apiVersion(group: String) -> String {
        switch group {
        case "argoproj.io": "v1alpha1"
        default: "v1"
        }
    }

    /// `deployments` of `deployments/scale`.
    var baseResource: String { String(resource.split(separator: "/", maxSplits: 1)[0]) }

    /// `scale` of `deployments/scale`; nil for a main resource.
    var subresource: String? {
        let parts = resource.split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    /// Same verb, group and resource (whatever `namedWorkloadsOnly` says).
    func sameCall(as other: Self) -> Bool {
        verb == other.verb && group == other.group && resource == other.resource
    }
}
