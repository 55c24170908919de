import Logging

/// `taster check` for Kubernetes: for each workload, asks the API (SelfSubjectAccessReview)
/// whether this identity may do each call the hooks make, and reads its scale.
struct KubernetesProbe: Sendable {
    let client: KubernetesClient
    let settings: Settings
    let namespace: String
    let deadline: Deadline
    let logger: Logger

    func run() async -> [CheckFinding] {
        var findings: [CheckFinding] = []
        let scaler = WorkloadScaler(client: client, namespace: namespace, logger: logger)
        for workload in settings.kubernetes.workloads {
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
                findings.append(.init("Kubernetes", "may scale \(workload.reference)", .ok,
                                      "get, list, watch \(resource); get, patch \(resource)/scale in \(namespace)"))
            } else {
                let rules = denied.map { $0.roleRule(resourceNames: [workload.name]) }.joined(separator: "\n")
                findings.append(.init("Kubernetes", "may scale \(workload.reference)", .fail,
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
                findings.append(answer.allowed ? .init("Kubernetes", "may \(permission.description)", .ok, "in \(namespace)")
                                               : .init("Kubernetes", "may \(permission.description)", .warn, "denied: \(why); the Role needs:\n\(permission.roleRule())"))
            } catch {
                findings.append(.init("Kubernetes", "may \(permission.description)", .fail, "\(error)"))
            }
        }
        return findings
    }
}
