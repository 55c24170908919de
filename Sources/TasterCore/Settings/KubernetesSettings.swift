import FoundationEssentials

/// How to reach the Kubernetes API and which workloads to scale.
public struct KubernetesSettings: Sendable {
    /// In-cluster (`KUBERNETES_SERVICE_HOST`/`PORT` and the service account files) or a kubeconfig.
    public enum Access: Sendable, Equatable {
        case inCluster(host: String, port: Int)
        case kubeconfig(paths: [String])
    }

    public var access: Access
    /// `TASTER_KUBE_CONTEXT`: a kubeconfig context other than `current-context`.
    public var context: String?
    /// `TASTER_NAMESPACE`; nil means the pod's namespace file, else the context's namespace.
    public var namespace: String?
    /// `TASTER_WORKLOADS`; empty means nothing is scaled and Kubernetes is not needed.
    public var workloads: [WorkloadTarget]
    /// `TASTER_READY_TIMEOUT`: how long to wait for the workloads to be ready, inside the deadline.
    public var readyTimeout: Duration

    public static let defaultReadyTimeout: Duration = .seconds(300)
    /// Where the service account's files are mounted in a pod.
    public static let serviceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Whether this run needs the Kubernetes API at all.
    public var isNeeded: Bool { !workloads.isEmpty }
}

extension KubernetesSettings {
    static func read(_ reader: inout SettingsReader) -> KubernetesSettings {
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
            if isDNSLabel(text) {
                namespace = text
            } else {
                reader.fail("TASTER_NAMESPACE", "\"\(text)\" is not a namespace name (lowercase letters, digits, '-', at most 63)",
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
        return KubernetesSettings(access: access, context: context, namespace: namespace,
                                  workloads: workloads, readyTimeout: readyTimeout)
    }

    static func isDNSLabel(_ name: String) -> Bool {
        (1...63).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && name.first != "-" && name.last != "-"
    }
}
