import TasterCore

/// Whether a workload is ready at a replica count, decided the way `kubectl rollout status`
/// decides it (kubectl's `polymorphichelpers/rollout_status.go`), plus "no replicas left" when
/// scaling to zero.
package struct WorkloadReadiness: Sendable, Equatable {
    package var isReady: Bool
    /// What is being waited for, in kubectl's words.
    package var message: String
    /// Set when waiting is pointless (a Deployment exceeded its progress deadline).
    package var failure: String?

    package static func evaluate(kind: WorkloadKind, object: WorkloadObject, target: Int) -> WorkloadReadiness {
        let name = object.metadata.name
        let generation = object.metadata.generation ?? 0
        let status = object.status ?? WorkloadObject.Status()
        let observed = status.observedGeneration ?? 0
        let specReplicas = object.spec?.replicas ?? 1
        let replicas = status.replicas ?? 0
        let updated = status.updatedReplicas ?? 0
        let ready = status.readyReplicas ?? 0
        let available = status.availableReplicas ?? 0
        func waiting(_ message: String) -> WorkloadReadiness { WorkloadReadiness(isReady: false, message: message, failure: nil) }

        if specReplicas != target {
            return waiting("\(kind.rawValue) \"\(name)\" has spec.replicas \(specReplicas), waiting for \(target)")
        }
        switch kind {
        case .deployment:
            guard generation <= observed else { return waiting("Waiting for deployment spec update to be observed...") }
            if let progressing = status.conditions?.first(where: { $0.type == "Progressing" }), progressing.reason == "ProgressDeadlineExceeded" {
                return WorkloadReadiness(
                    isReady: false, message: "deployment \"\(name)\" exceeded its progress deadline",
                    failure: "deployment \"\(name)\" exceeded its progress deadline\(progressing.message.map { ": \($0)" } ?? "")")
            }
            if target == 0 {
                return replicas == 0
                    ? WorkloadReadiness(isReady: true, message: "deployment \"\(name)\" has no replicas left", failure: nil)
                    : waiting("Waiting for deployment \"\(name)\": \(replicas) replicas still running")
            }
            if updated < target {
                return waiting("Waiting for deployment \"\(name)\" rollout to finish: \(updated) out of \(target) new replicas have been updated...")
            }
            if replicas > updated {
                return waiting("Waiting for deployment \"\(name)\" rollout to finish: \(replicas - updated) old replicas are pending termination...")
            }
            if ready < target { return waiting("Waiting for deployment \"\(name)\" rollout to finish: \(ready) of \(target) updated replicas are ready...") }
            if available < updated {
                return waiting("Waiting for deployment \"\(name)\" rollout to finish: \(available) of \(updated) updated replicas are available...")
            }
            return WorkloadReadiness(isReady: true, message: "deployment \"\(name)\" successfully rolled out", failure: nil)
        case .statefulset:
            guard observed != 0, generation <= observed else { return waiting("Waiting for statefulset spec update to be observed...") }
            if target == 0 {
                return replicas == 0
                    ? WorkloadReadiness(isReady: true, message: "statefulset \"\(name)\" has no replicas left", failure: nil)
                    : waiting("Waiting for statefulset \"\(name)\": \(replicas) replicas still running")
            }
            if ready < target { return waiting("Waiting for \(target - ready) pods to be ready...") }
            if replicas > target { return waiting("Waiting for statefulset \"\(name)\": \(replicas - target) extra replicas are pending termination...") }
            let strategy = object.spec?.updateStrategy
            if strategy?.type ?? "RollingUpdate" == "RollingUpdate", let rolling = strategy?.rollingUpdate {
                let partition = rolling.partition ?? 0
                if updated < target - partition {
                    return waiting("Waiting for partitioned roll out to finish: \(updated) out of \(target - partition) new pods have been updated...")
                }
                return WorkloadReadiness(isReady: true, message: "partitioned roll out complete: \(updated) new pods have been updated...", failure: nil)
            }
            if strategy?.type ?? "RollingUpdate" == "RollingUpdate", let update = status.updateRevision, update != status.currentRevision {
                return waiting("waiting for statefulset rolling update to complete \(updated) pods at revision \(update)...")
            }
            return WorkloadReadiness(
                isReady: true,
                message: "statefulset rolling update complete \(status.currentReplicas ?? ready) pods at revision \(status.currentRevision ?? "-")...",
                failure: nil)
        }
    }
}
