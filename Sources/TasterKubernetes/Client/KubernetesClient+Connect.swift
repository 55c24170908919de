import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

extension KubernetesClient {
    /// A client for the settings' access (in-cluster, else the kubeconfig and `TASTER_KUBE_CONTEXT`).
    /// Throws `KubeConfigError` (exit 2) saying why the configuration cannot be used.
    package static func connect(_ settings: KubernetesSettings, permissions: [KubernetesPermission], logger: Logger) throws -> KubernetesClient {
        let connection = try KubeConfig.load(settings).connection(context: settings.context)
        return try KubernetesClient(connection: connection, permissions: permissions, logger: logger)
    }

    /// The namespace to work in: `TASTER_NAMESPACE`, else the pod's own (the service account's
    /// namespace file), else this connection's context's, else `default`.
    package func namespace(for settings: KubernetesSettings) -> String {
        NamespaceResolver.resolve(configured: settings.namespace, contextNamespace: connection.namespace)
    }

    /// The HTTP settings of a connection: its CA (file or data; the system's when it has none),
    /// its client certificate, verification off only when the kubeconfig says so, and advice
    /// that names where the CA came from. Returns the server URL to send to as well: with
    /// `tls-server-name` and an IP address, the name is pinned to the address so the
    /// certificate is checked against the name.
    static func httpConfiguration(
        for connection: KubeConnection,
        requestTimeout: Duration
    ) throws(KubeConfigError) -> (HTTPClientConfiguration, String) {
        var tls = TLSConfiguration()
        let advice: String
        switch connection.certificateAuthority {
        case .file(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw KubeConfigError(
                    "the certificate-authority \(path) of context \"\(connection.contextName)\" (\(connection.source)) is missing or unreadable")
            }
            tls.certificateAuthority = .file(path)
            advice =
                "\(path) (certificate-authority of context \"\(connection.contextName)\") does not hold the CA that signed the API server's certificate; fix the kubeconfig"
        case .data(let data):
            tls.certificateAuthority = .pem(data)
            advice =
                "the certificate-authority-data of context \"\(connection.contextName)\" (\(connection.source)) does not hold the CA that signed the API server's certificate; get a current kubeconfig for the cluster"
        case nil:
            advice =
                "the kubeconfig gives no certificate-authority for context \"\(connection.contextName)\" and the system's CAs do not trust the API server; add certificate-authority-data"
        }
        if let pair = connection.clientCertificate {
            for case .file(let path) in [pair.certificate, pair.key] where !FileManager.default.isReadableFile(atPath: path) {
                throw KubeConfigError(
                    "the client certificate or key \(path) of user \"\(connection.userName)\" (\(connection.source)) is missing or unreadable")
            }
            tls.clientCertificate = pem(pair.certificate)
            tls.clientKey = pem(pair.key)
        }
        if connection.insecureSkipTLSVerify { tls.disableVerification() }

        var server = connection.server
        var resolve: [String] = []
        if let name = connection.tlsServerName, !name.isEmpty, var components = URLComponents(string: connection.server),
            let host = components.host, host != name
        {
            guard isIPAddress(host) else {
                throw KubeConfigError(
                    "context \"\(connection.contextName)\" (\(connection.source)) sets tls-server-name \(name) for the server \(URLDisplay.show(connection.server)); taster supports tls-server-name only with an IP address as the server"
                )
            }
            let port = components.port ?? (components.scheme == "http" ? 80 : 443)
            resolve = ["\(name):\(port):\(host)"]
            components.host = name
            server = components.string ?? server
        }
        let configuration = HTTPClientConfiguration(
            serviceName: "Kubernetes API", tlsVerificationAdvice: advice, tls: tls,
            connectTimeout: .seconds(10), requestTimeout: requestTimeout, maxResponseBytes: 32 << 20, resolve: resolve)
        return (configuration, server)
    }

    private static func pem(_ source: KubeConnection.PEM) -> TLSConfiguration.PEMSource {
        switch source {
        case .file(let path): .file(path)
        case .data(let data): .pem(data)
        }
    }

    private static func isIPAddress(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        if bare.contains(":") { return true }
        let parts = bare.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }
}
