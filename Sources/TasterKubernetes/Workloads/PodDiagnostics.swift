/// Why pods are not ready, in one line per pod: container waiting reasons and messages
/// (ImagePullBackOff, CrashLoopBackOff), Unschedulable conditions, the last termination; a ready
/// or completed pod says just that.
package enum PodDiagnostics {
    package static func explain(_ pod: PodObject) -> String {
        var reasons: [String] = []
        let status = pod.status
        if status?.phase == "Succeeded" { return "pod \(pod.metadata.name): completed" }
        if status?.conditions?.contains(where: { $0.type == "Ready" && $0.status == "True" }) == true {
            return "pod \(pod.metadata.name): ready"
        }
        if let scheduled = status?.conditions?.first(where: { $0.type == "PodScheduled" }), scheduled.status != "True" {
            reasons.append("not scheduled: \(scheduled.reason ?? "pending")\(scheduled.message.map { " — \($0)" } ?? "")")
        }
        for container in (status?.initContainerStatuses ?? []) + (status?.containerStatuses ?? []) {
            if let waiting = container.state?.waiting {
                var text = "container \(container.name) waiting: \(waiting.reason ?? "unknown")"
                if let message = waiting.message, !message.isEmpty { text += " — \(message)" }
                reasons.append(text)
            } else if let terminated = container.state?.terminated, terminated.exitCode != 0 {
                reasons.append(
                    "container \(container.name) terminated: \(terminated.reason ?? "Error") (exit \(terminated.exitCode ?? -1))\(terminated.message.map { " — \($0)" } ?? "")"
                )
            } else if container.ready == false, container.state?.running != nil {
                reasons.append("container \(container.name) running but not ready (readiness probe failing?)")
            }
            if let last = container.lastState?.terminated, (container.restartCount ?? 0) > 0 {
                reasons.append(
                    "container \(container.name) restarted \(container.restartCount ?? 0)×, last terminated: \(last.reason ?? "Error") (exit \(last.exitCode ?? -1))"
                )
            }
        }
        if reasons.isEmpty, let ready = status?.conditions?.first(where: { $0.type == "Ready" }), ready.status != "True" {
            reasons.append("not ready: \(ready.reason ?? "unknown")\(ready.message.map { " — \($0)" } ?? "")")
        }
        if reasons.isEmpty { reasons.append("phase \(status?.phase ?? "unknown")\(status?.reason.map { ": \($0)" } ?? "")") }
        return "pod \(pod.metadata.name): " + reasons.joined(separator: "; ")
    }
}
