import FoundationEssentials
import TasterCore
import TasterSupport

/// Which namespace the workloads are in: `TASTER_NAMESPACE`, else the pod's own namespace (the
/// service account's namespace file), else the kubeconfig context's, else `default`.
package enum NamespaceResolver {
    package static func resolve(
        configured: String?, contextNamespace: String?,
        serviceAccountDirectory: String = KubernetesSettings.serviceAccountDirectory
    ) -> String {
        if let configured { return configured }
        if let text = try? String(contentsOfFile: serviceAccountDirectory + "/namespace", encoding: .utf8),
            NameRules.isDNSLabel(text.trimmingSpaces())
        {
            return text.trimmingSpaces()
        }
        return contextNamespace ?? "default"
    }
}
