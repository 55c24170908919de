import FoundationEssentials
import Logging

/// Everything a workflow step needs to know about the run it is part of.
public struct TasteContext: Sendable {
    public let settings: Settings
    public let deadline: Deadline
    public let logger: Logger
    /// The workloads' namespace.
    public let namespace: String
    /// `TASTER_APP`, else the namespace.
    public let app: String
    public let layout: ReportLayout
    /// The pod (or machine) running the phase, for reports.
    public let host: String

    public init(settings: Settings, deadline: Deadline, logger: Logger, namespace: String,
                environment: Environment = .process) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
        self.namespace = namespace
        app = settings.app ?? namespace
        layout = ReportLayout(configured: settings.s3.prefix, namespace: namespace, app: app)
        host = environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName
    }
}

/// Which namespace the workloads are in: `TASTER_NAMESPACE`, else the pod's own namespace (the
/// service account's namespace file), else the kubeconfig context's, else `default`.
public enum NamespaceResolver {
    public static func resolve(settings: Settings, contextNamespace: String?,
                               serviceAccountDirectory: String = KubernetesSettings.serviceAccountDirectory) -> String {
        if let namespace = settings.kubernetes.namespace { return namespace }
        if let text = try? String(contentsOfFile: serviceAccountDirectory + "/namespace", encoding: .utf8),
           KubernetesSettings.isDNSLabel(text.trimmingSpaces()) {
            return text.trimmingSpaces()
        }
        return contextNamespace ?? "default"
    }
}
