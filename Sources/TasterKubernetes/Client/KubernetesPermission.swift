import TasterCore

/// One Kubernetes API permission taster uses: a verb on a resource (with subresource) of an API
/// group. The client declares every call it makes here, and the Role shipped in
/// `kustomize/base/role.yaml` is tested against these lists, so RBAC never drifts from the code.
package struct KubernetesPermission: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// get, list, watch, patch, create, delete.
    package var verb: String
    /// "" for the core group.
    package var group: String
    /// `deployments`, `deployments/scale`, `pods/log`.
    package var resource: String
    /// The Role may restrict this permission to the named workloads (`resourceNames`).
    package var namedWorkloadsOnly: Bool

    package init(_ verb: String, _ group: String, _ resource: String, namedWorkloadsOnly: Bool = false) {
        self.verb = verb
        self.group = group
        self.resource = resource
        self.namedWorkloadsOnly = namedWorkloadsOnly
    }

    package var description: String {
        "\(verb) \(resource)\(group.isEmpty ? "" : ".\(group)")"
    }

    package static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.group, lhs.resource, lhs.verb) < (rhs.group, rhs.resource, rhs.verb)
    }

    /// The Role rule (YAML) that grants this permission, for 403 messages.
    package func roleRule(resourceNames: [String] = []) -> String {
        var rule = "- apiGroups: [\"\(group)\"]\n  resources: [\"\(resource)\"]\n  verbs: [\"\(verb)\"]"
        if namedWorkloadsOnly && !resourceNames.isEmpty {
            rule += "\n  resourceNames: [" + resourceNames.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        }
        return rule
    }
}

/// Every Kubernetes API call taster makes, grouped by who needs it.
package enum KubernetesPermissions {
    /// The hook Jobs (pre-taste, post-taste, restore, check) in the workloads' namespace: read and
    /// watch the workloads, read and patch their scale, read pods (and their logs) to explain why
    /// a workload is not ready, and create Events on the hook's own Job.
    package static let hooks: [KubernetesPermission] = {
        var permissions: [KubernetesPermission] = []
        for kind in WorkloadKind.allCases {
            for verb in ["get", "list", "watch"] {
                permissions.append(.init(verb, "apps", kind.resource, namedWorkloadsOnly: true))
            }
            for verb in ["get", "patch"] {
                permissions.append(.init(verb, "apps", kind.resource + "/scale", namedWorkloadsOnly: true))
            }
        }
        permissions.append(.init("get", "", "pods"))
        permissions.append(.init("list", "", "pods"))
        permissions.append(.init("get", "", "pods/log"))
        permissions.append(.init("create", "", "events"))
        return permissions.sorted()
    }()

    /// Optional, in Argo CD's namespace: read the Application to derive the run id from its sync.
    package static let argoApplication: [KubernetesPermission] = [.init("get", "argoproj.io", "applications")]

    /// `taster await-job` (run with a CI pipeline's credentials, not the hooks'): watch the Job,
    /// stream its pods' logs, delete it when it succeeded.
    package static let awaitJob: [KubernetesPermission] = [
        .init("get", "batch", "jobs"), .init("list", "batch", "jobs"), .init("watch", "batch", "jobs"),
        .init("delete", "batch", "jobs"),
        .init("get", "", "pods"), .init("list", "", "pods"), .init("watch", "", "pods"), .init("get", "", "pods/log"),
    ].sorted()

    /// What every authenticated user may do without a Role (the `system:basic-user`
    /// ClusterRole): ask whether it may do something (`taster check`). Not in any shipped Role.
    package static let everyAuthenticatedUser: [KubernetesPermission] = [.init("create", "authorization.k8s.io", "selfsubjectaccessreviews")]
}
