import FoundationEssentials
import TasterSupport

/// A kubeconfig, as kubectl reads it: named clusters, users and contexts plus `current-context`.
/// In-cluster service-account access is loaded into the same model (see `KubeConfig+InCluster`),
/// so there is one code path from configuration to connection.
package struct KubeConfig: Sendable, Equatable {
    package struct Cluster: Sendable, Equatable {
        package var server: String
        package var certificateAuthority: String?
        package var certificateAuthorityData: Data?
        /// Only ever true when written in the kubeconfig; never a default.
        package var insecureSkipTLSVerify: Bool
        package var tlsServerName: String?
    }

    package struct User: Sendable, Equatable {
        package var token: Secret?
        package var tokenFile: String?
        package var clientCertificate: String?
        package var clientCertificateData: Data?
        package var clientKey: String?
        package var clientKeyData: Data?
        package var exec: ExecConfig?
        /// Set when the kubeconfig uses something taster does not support (basic auth, auth-provider).
        package var unsupported: String?
    }

    /// An exec credential plugin. Its arguments and the values of its environment are secrets
    /// (`--token`, `AWS_SECRET_ACCESS_KEY`…): never printed by taster, and withheld from the
    /// plugin's own error output.
    package struct ExecConfig: Sendable, Equatable {
        package var command: String
        package var args: [Secret]
        package var env: [(name: String, value: Secret)]
        package var apiVersion: String
        package var installHint: String?
        package var provideClusterInfo: Bool

        package static func == (lhs: Self, rhs: Self) -> Bool {
            lhs.command == rhs.command && lhs.args == rhs.args && lhs.apiVersion == rhs.apiVersion
                && lhs.env.map(\.name) == rhs.env.map(\.name) && lhs.env.map(\.value) == rhs.env.map(\.value)
                && lhs.installHint == rhs.installHint && lhs.provideClusterInfo == rhs.provideClusterInfo
        }
    }

    package struct Context: Sendable, Equatable {
        package var cluster: String
        package var user: String
        package var namespace: String?
    }

    package var clusters: [String: Cluster] = [:]
    package var users: [String: User] = [:]
    package var contexts: [String: Context] = [:]
    package var currentContext: String?
    /// Where the configuration came from, for messages (`/root/.kube/config`, `in-cluster`).
    package var source: String = ""

    package init() {}
}

/// A kubeconfig or in-cluster configuration could not be used. Exit 2: it is configuration.
package struct KubeConfigError: TasterError {
    package let message: String
    package init(_ message: String) { self.message = message }
    package var exitCode: TasterExitCode { .usage }
    package var description: String { message }
}

extension KubeConfig {
    /// Reads and merges kubeconfig files the way kubectl does for a `KUBECONFIG` list: files that
    /// do not exist are skipped; the first file to set `current-context` wins, and the first file
    /// to define a cluster, user or context name wins. Relative paths are resolved against the
    /// directory of the file that names them.
    package static func load(paths: [String]) throws(KubeConfigError) -> KubeConfig {
        var merged = KubeConfig()
        var read: [String] = []
        for path in paths where FileManager.default.fileExists(atPath: path) {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw KubeConfigError("cannot read kubeconfig \(path): \(error)")
            }
            let file = try parse(text, path: path)
            read.append(path)
            if merged.currentContext == nil { merged.currentContext = file.currentContext }
            for (name, cluster) in file.clusters where merged.clusters[name] == nil { merged.clusters[name] = cluster }
            for (name, user) in file.users where merged.users[name] == nil { merged.users[name] = user }
            for (name, context) in file.contexts where merged.contexts[name] == nil { merged.contexts[name] = context }
        }
        guard !read.isEmpty else {
            throw KubeConfigError(
                "no kubeconfig found at \(paths.joined(separator: ":")) — set KUBECONFIG, or run inside a pod with a service account (KUBERNETES_SERVICE_HOST)")
        }
        merged.source = read.joined(separator: ":")
        return merged
    }

    /// Parses one kubeconfig (YAML or JSON).
    package static func parse(_ text: String, path: String) throws(KubeConfigError) -> KubeConfig {
        let root: [String: Any]
        do {
            root = (try YAMLValue.load(text) as? [String: Any]) ?? [:]
        } catch {
            throw KubeConfigError("kubeconfig \(path) is not valid YAML: \(error)")
        }
        let directory = FileIO.directory(of: path)
        func resolve(_ file: String?) -> String? {
            guard let file, !file.isEmpty else { return nil }
            return file.hasPrefix("/") || directory.isEmpty ? file : directory + "/" + file
        }
        func base64(_ value: Any?, _ field: String, _ owner: String) throws(KubeConfigError) -> Data? {
            guard let text = value as? String, !text.isEmpty else { return nil }
            guard let data = Data(base64Encoded: text.filter { !$0.isWhitespace }) else {
                throw KubeConfigError("kubeconfig \(path): \(field) of \(owner) is not valid base64")
            }
            return data
        }
        var config = KubeConfig()
        config.source = path
        config.currentContext = (root["current-context"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        for entry in root["clusters"] as? [[String: Any]] ?? [] {
            guard let name = entry["name"] as? String, let body = entry["cluster"] as? [String: Any] else { continue }
            guard let server = body["server"] as? String, !server.isEmpty else {
                throw KubeConfigError("kubeconfig \(path): cluster \(name) has no server")
            }
            config.clusters[name] = Cluster(
                server: server,
                certificateAuthority: resolve(body["certificate-authority"] as? String),
                certificateAuthorityData: try base64(body["certificate-authority-data"], "certificate-authority-data", "cluster \(name)"),
                insecureSkipTLSVerify: body["insecure-skip-tls-verify"] as? Bool ?? false,
                tlsServerName: body["tls-server-name"] as? String)
        }
        for entry in root["users"] as? [[String: Any]] ?? [] {
            guard let name = entry["name"] as? String else { continue }
            let body = entry["user"] as? [String: Any] ?? [:]
            var user = User(
                token: (body["token"] as? String).map { Secret.registered($0, origin: "the kubeconfig's token") },
                tokenFile: resolve(body["tokenFile"] as? String),
                clientCertificate: resolve(body["client-certificate"] as? String),
                clientCertificateData: try base64(body["client-certificate-data"], "client-certificate-data", "user \(name)"),
                clientKey: resolve(body["client-key"] as? String),
                clientKeyData: try base64(body["client-key-data"], "client-key-data", "user \(name)"))
            if let exec = body["exec"] as? [String: Any] {
                guard let command = exec["command"] as? String, !command.isEmpty else {
                    throw KubeConfigError("kubeconfig \(path): the exec plugin of user \(name) has no command")
                }
                let env = (exec["env"] as? [[String: Any]] ?? []).compactMap { item -> (String, Secret)? in
                    guard let key = item["name"] as? String else { return nil }
                    return (key, Secret(item["value"] as? String ?? "", origin: "the kubeconfig's exec plugin environment"))
                }
                let args = (exec["args"] as? [String] ?? []).map { Secret($0, origin: "the kubeconfig's exec plugin arguments") }
                // A bare command name is looked up on PATH; a relative path is relative to the file.
                let resolved = command.contains("/") ? resolve(command)! : command
                user.exec = ExecConfig(
                    command: resolved, args: args, env: env,
                    apiVersion: exec["apiVersion"] as? String ?? "client.authentication.k8s.io/v1",
                    installHint: exec["installHint"] as? String,
                    provideClusterInfo: exec["provideClusterInfo"] as? Bool ?? false)
            }
            if body["username"] != nil || body["password"] != nil {
                user.unsupported = "basic authentication (username/password)"
            } else if body["auth-provider"] != nil {
                user.unsupported = "an auth-provider (use an exec credential plugin instead)"
            }
            config.users[name] = user
        }
        for entry in root["contexts"] as? [[String: Any]] ?? [] {
            guard let name = entry["name"] as? String, let body = entry["context"] as? [String: Any] else { continue }
            config.contexts[name] = Context(
                cluster: body["cluster"] as? String ?? "", user: body["user"] as? String ?? "",
                namespace: (body["namespace"] as? String).flatMap { $0.isEmpty ? nil : $0 })
        }
        return config
    }
}
