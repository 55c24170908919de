import FoundationEssentials
import Synchronization
import TasterHTTP
import TasterSupport

/// Runs a kubeconfig `exec` credential plugin (as kubectl does for EKS, GKE, AKS, OIDC logins)
/// and caches what it returns until it expires.
///
/// - SeeAlso: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
package final class ExecCredentialProvider: Sendable {
    package struct Credential: Sendable, Equatable {
        package var token: Secret?
        package var clientCertificateData: Data?
        package var clientKeyData: Data?
        package var expiration: Date?
    }

    private let config: KubeConfig.ExecConfig
    private let server: String
    private let cached = Mutex<Credential?>(nil)
    /// Renew this long before the plugin's expirationTimestamp.
    static let renewBefore: TimeInterval = 30

    package init(config: KubeConfig.ExecConfig, server: String) {
        self.config = config
        self.server = server
    }

    /// The cached credential, or a fresh one from the plugin.
    package func credential(timeout: Duration) async throws -> Credential {
        if let current = cached.withLock({ $0 }), current.expiration.map({ $0.timeIntervalSinceNow > Self.renewBefore }) ?? true {
            return current
        }
        let fresh = try await Blocking.run { [config, server] in try Self.runPlugin(config, server: server, timeout: timeout) }
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Forgets the cached credential (after a 401, the plugin is asked again).
    package func invalidate() {
        cached.withLock { $0 = nil }
    }

    static func runPlugin(_ config: KubeConfig.ExecConfig, server: String, timeout: Duration) throws -> Credential {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in config.env { environment[name] = value.revealed }
        let info = ExecInfo(
            apiVersion: config.apiVersion, kind: "ExecCredential",
            spec: .init(interactive: false, cluster: config.provideClusterInfo ? .init(server: server) : nil))
        environment["KUBERNETES_EXEC_INFO"] = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        let hint = config.installHint.map { " (\($0.trimmingSpaces()))" } ?? ""
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(config.command, arguments: config.args.map(\.revealed), environment: environment, timeout: timeout)
        } catch .cannotStart(let reason) {
            throw KubernetesAuthError(message: "the kubeconfig's exec credential plugin \(config.command) could not be started: \(reason)\(hint)")
        } catch .timedOut {
            throw KubernetesAuthError(
                message: "the kubeconfig's exec credential plugin \(config.command) did not answer within \(DurationParser.format(timeout))")
        }
        let stderrText = scrubbed(String(decoding: result.standardError.suffix(2000), as: UTF8.self), config: config).trimmingSpaces()
        guard result.status == 0 else {
            // posix_spawnp reports a missing command as exit 127 from the child.
            let reason = result.status == 127 && stderrText.isEmpty ? " (command not found)" : ""
            throw KubernetesAuthError(
                message:
                    "the kubeconfig's exec credential plugin \(config.command) exited with \(result.status)\(reason)\(stderrText.isEmpty ? "" : ": \(stderrText)")\(hint)"
            )
        }
        return try parse(result.standardOutput, command: config.command)
    }

    /// The plugin's own output as it may be shown: every line that holds one of its arguments or
    /// environment values (which may be tokens and keys), or any registered secret, is withheld.
    /// Flags (`--region`, `-o`) are not looked for, only values. Not registered process-wide: a
    /// profile name such as `prod` would withhold every line naming a namespace.
    static func scrubbed(_ text: String, config: KubeConfig.ExecConfig) -> String {
        let local = SecretRedactor()
        for argument in config.args {
            let value = argument.revealed
            if value.hasPrefix("-") {
                if let equals = value.firstIndex(of: "=") { local.register(String(value[value.index(after: equals)...]), origin: argument.origin) }
            } else {
                local.register(value, origin: argument.origin)
            }
        }
        for (_, value) in config.env { local.register(value) }
        return local.scrub(SecretRedactor.shared.scrub(text))
    }

    static func parse(_ data: Data, command: String) throws -> Credential {
        guard let credential = try? JSONDecoder().decode(ExecCredentialDocument.self, from: data),
            credential.kind == "ExecCredential", let status = credential.status
        else {
            throw KubernetesAuthError(message: "the exec credential plugin \(command) did not print an ExecCredential with a status")
        }
        let certificate = status.clientCertificateData.map { Data($0.utf8) }
        let key = status.clientKeyData.map { Data($0.utf8) }
        guard status.token != nil || (certificate != nil && key != nil) else {
            throw KubernetesAuthError(message: "the exec credential plugin \(command) returned neither a token nor a client certificate and key")
        }
        var expiration: Date?
        if let text = status.expirationTimestamp {
            guard let date = Timestamp.parse(text) else {
                throw KubernetesAuthError(message: "the exec credential plugin \(command) returned an unreadable expirationTimestamp \"\(text)\"")
            }
            expiration = date
        }
        let token = status.token.map { Secret.registered($0, origin: "the exec plugin's token") }
        return Credential(token: token, clientCertificateData: certificate, clientKeyData: key, expiration: expiration)
    }

    /// `KUBERNETES_EXEC_INFO`, what the plugin is told.
    struct ExecInfo: Encodable {
        struct Spec: Encodable {
            struct Cluster: Encodable { var server: String }
            var interactive: Bool
            var cluster: Cluster?
        }

        var apiVersion: String
        var kind: String
        var spec: Spec
    }

    /// What the plugin prints.
    struct ExecCredentialDocument: Decodable {
        struct Status: Decodable {
            var token: String?
            var clientCertificateData: String?
            var clientKeyData: String?
            var expirationTimestamp: String?
        }

        var kind: String?
        var status: Status?
    }
}

/// Getting credentials for the Kubernetes API failed. Exit 3.
package struct KubernetesAuthError: TasterError {
    package let message: String
    package var exitCode: TasterExitCode { .dependency }
    package var description: String { message }
}
