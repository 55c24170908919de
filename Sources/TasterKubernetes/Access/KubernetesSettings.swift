import FoundationEssentials
import TasterCore
import TasterSupport

/// How to reach the Kubernetes API and which workloads to scale.
package struct KubernetesSettings: Sendable {
    /// In-cluster (`KUBERNETES_SERVICE_HOST`/`PORT` and the service account files) or a kubeconfig.
    package enum Access: Sendable, Equatable {
        case inCluster(host: String, port: Int)
        case kubeconfig(paths: [String])
    }

    package var access: Access
    /// `TASTER_KUBE_CONTEXT`: a kubeconfig context other than `current-context`.
    package var context: String?
    /// `TASTER_NAMESPACE`; nil means the pod's namespace file, else the context's namespace.
    package var namespace: String?
    /// `TASTER_WORKLOADS`; empty means nothing is scaled and Kubernetes is not needed.
    package var workloads: [WorkloadTarget]
    /// `TASTER_READY_TIMEOUT`: how long to wait for the workloads to be ready, inside the deadline.
    package var readyTimeout: Duration

    package static let defaultReadyTimeout: Duration = .seconds(300)
    /// Where the service account's files are mounted in a pod.
    package static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

}

extension KubernetesSettings {
    package static func read(_ reader: inout SettingsReader) -> KubernetesSettings {
        let env = reader.environment
        var access: Access
        if let host = reader.string("KUBERNETES_SERVICE_HOST") {
            var port = 443
            if let text = reader.string("KUBERNETES_SERVICE_PORT") {
                if let value = Int(text), (1...65535).contains(value) {
                    port = value
                } else {
                    reader.fail("KUBERNETES_SERVICE_PORT", "\"\(text)\" is not a TCP port", example: "KUBERNETES_SERVICE_PORT=443")
                }
            }
            access = .inCluster(host: host, port: port)
        } else if let list = reader.string("KUBECONFIG") {
            access = .kubeconfig(paths: list.split(separator: ":").map(String.init).filter { !$0.isEmpty })
        } else {
            let home = env["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
            access = .kubeconfig(paths: [home + "/.kube/config"])
        }

        let context = reader.string("TASTER_KUBE_CONTEXT")
        var namespace: String?
        if let text = reader.string("TASTER_NAMESPACE") {
            if NameRules.isDNSLabel(text) {
                namespace = text
            } else {
                reader.fail(
                    "TASTER_NAMESPACE", "\"\(text)\" is not a namespace name (lowercase letters, digits, '-', at most 63)",
                    example: "TASTER_NAMESPACE=pxbbq")
            }
        }

        var workloads: [WorkloadTarget] = []
        if let text = reader.string("TASTER_WORKLOADS") {
            switch WorkloadTarget.parseList(text) {
            case .success(let parsed): workloads = parsed
            case .failure(let error):
                reader.fail("TASTER_WORKLOADS", "entry \"\(error.entry)\" \(error.reason)", example: WorkloadTarget.example)
            }
        }
        let readyTimeout = reader.duration("TASTER_READY_TIMEOUT", default: defaultReadyTimeout, example: "5m")
        return KubernetesSettings(
            access: access, context: context, namespace: namespace,
            workloads: workloads, readyTimeout: readyTimeout)
    }
}
