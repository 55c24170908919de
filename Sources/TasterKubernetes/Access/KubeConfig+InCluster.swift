import FoundationEssentials
import TasterHTTP
import TasterSupport

extension KubeConfig {
    /// The pod's service account as a kubeconfig: server from `KUBERNETES_SERVICE_HOST`/`PORT`
    /// (IPv6 bracketed), CA from `ca.crt`, the token as a *file* (it rotates; it is re-read for
    /// every request) and the namespace from the `namespace` file.
    package static func inCluster(
        host: String, port: Int,
        directory: String = KubernetesSettings.serviceAccountDirectory
    ) throws(KubeConfigError) -> KubeConfig {
        let token = directory + "/token"
        let ca = directory + "/ca.crt"
        for file in [token, ca] where !FileManager.default.isReadableFile(atPath: file) {
            throw KubeConfigError(
                "in-cluster access: \(file) is missing or unreadable — is automountServiceAccountToken false on the Job or its ServiceAccount? (KUBERNETES_SERVICE_HOST is set, so taster assumed it runs in a pod)"
            )
        }
        let namespace = (try? String(contentsOfFile: directory + "/namespace", encoding: .utf8))?.trimmingSpaces()
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        var config = KubeConfig()
        config.source = "in-cluster (\(directory))"
        config.clusters["in-cluster"] = Cluster(
            server: "https://\(hostPart):\(port)", certificateAuthority: ca,
            certificateAuthorityData: nil, insecureSkipTLSVerify: false, tlsServerName: nil)
        config.users["service-account"] = User(token: nil, tokenFile: token)
        config.contexts["in-cluster"] = Context(cluster: "in-cluster", user: "service-account", namespace: namespace?.nilIfEmpty)
        config.currentContext = "in-cluster"
        return config
    }

    /// Loads what the settings point at: in-cluster when `KUBERNETES_SERVICE_HOST` is set, else
    /// the `KUBECONFIG` list (or `~/.kube/config`).
    package static func load(_ settings: KubernetesSettings) throws(KubeConfigError) -> KubeConfig {
        switch settings.access {
        case .inCluster(let host, let port): try inCluster(host: host, port: port)
        case .kubeconfig(let paths): try load(paths: paths)
        }
    }

    /// The connection of `contextName` (or `current-context`).
    package func connection(context contextName: String?) throws(KubeConfigError) -> KubeConnection {
        guard let name = contextName ?? currentContext else {
            throw KubeConfigError("\(source) has no current-context — set TASTER_KUBE_CONTEXT to one of: \(contexts.keys.sorted().joined(separator: ", "))")
        }
        guard let context = contexts[name] else {
            let origin = contextName == nil ? "current-context" : "TASTER_KUBE_CONTEXT"
            throw KubeConfigError("context \"\(name)\" (\(origin)) is not in \(source) — it has: \(contexts.keys.sorted().joined(separator: ", "))")
        }
        guard let cluster = clusters[context.cluster] else {
            throw KubeConfigError("context \"\(name)\" names cluster \"\(context.cluster)\", which is not in \(source)")
        }
        guard let user = users[context.user] ?? (context.user.isEmpty ? User() : nil) else {
            throw KubeConfigError("context \"\(name)\" names user \"\(context.user)\", which is not in \(source)")
        }
        if let unsupported = user.unsupported {
            throw KubeConfigError(
                "user \"\(context.user)\" in \(source) uses \(unsupported), which taster does not support — use a token, a client certificate or an exec plugin"
            )
        }
        guard cluster.server.hasPrefix("https://") || cluster.server.hasPrefix("http://") else {
            throw KubeConfigError(
                "cluster \"\(context.cluster)\" in \(source) has server \"\(URLDisplay.origin(cluster.server))\", which is not an http(s) URL")
        }

        var credentials: KubeConnection.Credentials = .none
        if let exec = user.exec {
            credentials = .exec(exec)
        } else if let token = user.token, !token.revealed.isEmpty {
            credentials = .token(token)
        } else if let file = user.tokenFile {
            credentials = .tokenFile(file)
        }
        var clientCertificate: KubeConnection.ClientCertificate?
        let certificate = user.clientCertificateData.map(KubeConnection.PEM.data) ?? user.clientCertificate.map(KubeConnection.PEM.file)
        let key = user.clientKeyData.map(KubeConnection.PEM.data) ?? user.clientKey.map(KubeConnection.PEM.file)
        switch (certificate, key) {
        case let (certificate?, key?): clientCertificate = .init(certificate: certificate, key: key)
        case (nil, nil): break
        default:
            throw KubeConfigError("user \"\(context.user)\" in \(source) has a client certificate without its key (or a key without its certificate)")
        }
        let ca = cluster.certificateAuthorityData.map(KubeConnection.PEM.data) ?? cluster.certificateAuthority.map(KubeConnection.PEM.file)
        return KubeConnection(
            server: cluster.server.hasSuffix("/") ? String(cluster.server.dropLast()) : cluster.server,
            certificateAuthority: ca, insecureSkipTLSVerify: cluster.insecureSkipTLSVerify,
            tlsServerName: cluster.tlsServerName, credentials: credentials, clientCertificate: clientCertificate,
            namespace: context.namespace, contextName: name, userName: context.user, source: source)
    }
}

/// How to reach one API server and who to be: the resolved context of a kubeconfig.
package struct KubeConnection: Sendable, Equatable {
    package enum PEM: Sendable, Equatable {
        case file(String)
        case data(Data)
    }

    package struct ClientCertificate: Sendable, Equatable {
        package var certificate: PEM
        package var key: PEM
    }

    package enum Credentials: Sendable, Equatable {
        case none
        case token(Secret)
        /// Re-read for every request: service-account tokens rotate.
        case tokenFile(String)
        case exec(KubeConfig.ExecConfig)
    }

    package var server: String
    package var certificateAuthority: PEM?
    package var insecureSkipTLSVerify: Bool
    package var tlsServerName: String?
    package var credentials: Credentials
    package var clientCertificate: ClientCertificate?
    package var namespace: String?
    package var contextName: String
    package var userName: String
    package var source: String
}
