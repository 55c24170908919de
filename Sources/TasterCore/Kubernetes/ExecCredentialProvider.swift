import Foundation
import Synchronization

/// Runs a kubeconfig `exec` credential plugin (as kubectl does for EKS, GKE, AKS, OIDC logins)
/// and caches what it returns until it expires.
///
/// - SeeAlso: https://kubernetes.io/docs/reference/access-authn-authz/authentication/#client-go-credential-plugins
public final class ExecCredentialProvider: Sendable {
    public struct Credential: Sendable, Equatable {
        public var token: String?
        public var clientCertificateData: Data?
        public var clientKeyData: Data?
        public var expiration: Date?
    }

    private let config: KubeConfig.ExecConfig
    private let server: String
    private let cached = Mutex<Credential?>(nil)
    /// Renew this long before the plugin's expirationTimestamp.
    static let renewBefore: TimeInterval = 30

    public init(config: KubeConfig.ExecConfig, server: String) {
        self.config = config
        self.server = server
    }

    /// The cached credential, or a fresh one from the plugin.
    public func credential(timeout: Duration) async throws -> Credential {
        if let current = cached.withLock({ $0 }), current.expiration.map({ $0.timeIntervalSinceNow > Self.renewBefore }) ?? true {
            return current
        }
        let fresh = try await Blocking.run { [config, server] in try Self.runPlugin(config, server: server, timeout: timeout) }
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Forgets the cached credential (after a 401, the plugin is asked again).
    public func invalidate() {
        cached.withLock { $0 = nil }
    }

    static func runPlugin(_ config: KubeConfig.ExecConfig, server: String, timeout: Duration) throws -> Credential {
        let process = Process()
        if config.command.contains("/") {
            process.executableURL = URL(fileURLWithPath: config.command)
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        }
        process.arguments = config.command.contains("/") ? config.args : [config.command] + config.args
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in config.env { environment[name] = value }
        var spec: [String: Any] = ["interactive": false]
        if config.provideClusterInfo { spec["cluster"] = ["server": server] }
        let info: [String: Any] = ["apiVersion": config.apiVersion, "kind": "ExecCredential", "spec": spec]
        environment["KUBERNETES_EXEC_INFO"] = String(decoding: (try? JSONSerialization.data(withJSONObject: info)) ?? Data(), as: UTF8.self)
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        let hint = config.installHint.map { " (\($0.trimmingSpaces()))" } ?? ""
        do {
            try process.run()
        } catch {
            throw KubernetesAuthError(message: "the kubeconfig's exec credential plugin \(config.command) could not be started: \(error.localizedDescription)\(hint)")
        }
        // Read both pipes concurrently so a chatty plugin cannot block on a full pipe.
        let stdoutData = Mutex(Data())
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            stdoutData.withLock { $0 = data }
            group.leave()
        }
        let stderrData = errors.fileHandleForReading.readDataToEndOfFile()
        if group.wait(timeout: .now() + timeout.seconds) == .timedOut {
            process.terminate()
            throw KubernetesAuthError(message: "the kubeconfig's exec credential plugin \(config.command) did not answer within \(DurationParser.format(timeout))")
        }
        process.waitUntilExit()
        let stderrText = SecretRedactor.shared.scrub(String(decoding: stderrData.suffix(2000), as: UTF8.self)).trimmingSpaces()
        guard process.terminationStatus == 0 else {
            throw KubernetesAuthError(message: "the kubeconfig's exec credential plugin \(config.command) exited with \(process.terminationStatus)\(stderrText.isEmpty ? "" : ": \(stderrText)")\(hint)")
        }
        return try parse(stdoutData.withLock { $0 }, command: config.command)
    }

    static func parse(_ data: Data, command: String) throws -> Credential {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              root["kind"] as? String == "ExecCredential", let status = root["status"] as? [String: Any] else {
            throw KubernetesAuthError(message: "the exec credential plugin \(command) did not print an ExecCredential with a status")
        }
        let token = status["token"] as? String
        let certificate = (status["clientCertificateData"] as? String).map { Data($0.utf8) }
        let key = (status["clientKeyData"] as? String).map { Data($0.utf8) }
        guard token != nil || (certificate != nil && key != nil) else {
            throw KubernetesAuthError(message: "the exec credential plugin \(command) returned neither a token nor a client certificate and key")
        }
        SecretRedactor.shared.register(token)
        var expiration: Date?
        if let text = status["expirationTimestamp"] as? String {
            guard let date = Timestamp.parse(text) else {
                throw KubernetesAuthError(message: "the exec credential plugin \(command) returned an unreadable expirationTimestamp \"\(text)\"")
            }
            expiration = date
        }
        return Credential(token: token, clientCertificateData: certificate, clientKeyData: key, expiration: expiration)
    }
}

/// Getting credentials for the Kubernetes API failed. Exit 3.
public struct KubernetesAuthError: TasterError {
    public let message: String
    public var exitCode: TasterExitCode { .dependency }
    public var description: String { message }
}
