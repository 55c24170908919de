import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// `taster check` for Kubernetes: for each workload, asks the API (SelfSubjectAccessReview)
/// whether this identity may do each call the hooks make, and reads its scale.
package struct KubernetesProbe: DependencyProbe {
    /// How the run reaches the API.
    package enum Access: Sendable {
        /// `TASTER_WORKLOADS` is empty: nothing is scaled, the API is not needed.
        case notNeeded
        case connected(KubernetesClient)
        /// The configuration cannot be used (exit 2 in a hook).
        case failed(any Error)
    }

    let access: Access
    let workloads: [WorkloadTarget]
    let namespace: String
    let deadline: Deadline
    let logger: Logger

    package init(access: Access, workloads: [WorkloadTarget], namespace: String, deadline: Deadline, logger: Logger) {
        self.access = access
        self.workloads = workloads
        self.namespace = namespace
        self.deadline = deadline
        self.logger = logger
    }

    package func run() async -> [CheckFinding] {
        switch access {
        case .notNeeded:
            return [.init("Kubernetes", "workloads", .ok, "none configured (TASTER_WORKLOADS): nothing is scaled, the API is not needed")]
        case .failed(let error):
            return [.init("Kubernetes", "connect", .fail, "\(error)")]
        case .connected(let client):
            let user = client.connection.userName.isEmpty ? "(no user)" : client.connection.userName
            return [.init("Kubernetes", "connect", .ok, "\(URLDisplay.show(client.connection.server)) as \(user), namespace \(namespace)")]
                + (await probe(client))
        }
    }

    private func probe(_ client: KubernetesClient) async -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let scaler = WorkloadScaler(client: client, namespace: namespace, logger: logger)
        for workload in workloads {
            let resource = workload.kind.resource
            var denied: [KubernetesPermission] = []
            for permission in KubernetesPermissions.hooks where permission.group == "apps" && permission.resource.hasPrefix(resource) {
                do {
                    let answer = try await client.canI(permission, name: workload.name, namespace: namespace, deadline: deadline)
                    if !answer.allowed { denied.append(permission) }
                } catch {
                    findings.append(.init("Kubernetes", "access review", .fail, "\(error)"))
                    return findings
                }
            }
            if denied.isEmpty {
                findings.append(
                    .init(
                        "Kubernetes", "may scale \(workload.reference)", .ok,
                        "get, list, watch \(resource); get, patch \(resource)/scale in \(namespace)"))
            } else {
                let rules = denied.map { $0.roleRule(resourceNames: [workload.name]) }.joined(separator: "\n")
                findings.append(
                    .init(
                        "Kubernetes", "may scale \(workload.reference)", .fail,
                        "denied: \(denied.map(\.description).joined(separator: ", ")) in \(namespace); the Role needs:\n\(rules)"))
                continue
            }
            do {
                let replicas = try await scaler.replicas(of: workload, deadline: deadline)
                findings.append(.init("Kubernetes", "read \(workload.reference)", .ok, "\(replicas) replicas now, \(workload.replicas) while tasting"))
            } catch {
                findings.append(.init("Kubernetes", "read \(workload.reference)", .fail, "\(error)"))
            }
        }
        for permission in KubernetesPermissions.hooks where permission.group.isEmpty {
            do {
                let answer = try await client.canI(permission, namespace: namespace, deadline: deadline)
                let why = permission.resource == "events" ? "results are not posted as Events on the hook's Job" : "taster cannot say why pods are not ready"
                findings.append(
                    answer.allowed
                        ? .init("Kubernetes", "may \(permission.description)", .ok, "in \(namespace)")
                        : .init("Kubernetes", "may \(permission.description)", .warn, "denied: \(why); the Role needs:\n\(permission.roleRule())"))
            } catch {
                findings.append(.init("Kubernetes", "may \(permission.description)", .fail, "\(error)"))
            }
        }
        return findings
    }
}
