import FoundationEssentials
import TasterCore
import TasterSupport

/// Who taster is to the API server, worked out for every request: a fixed token, a token file
/// read again for every attempt (service-account tokens rotate), or an exec plugin's credential
/// (cached until it expires; asked again after a 401). A client certificate from the kubeconfig
/// is part of the TLS settings instead (see `KubernetesClient`).
///
/// Tokens are registered with `SecretRedactor` as soon as they are read and never logged.
final class KubernetesCredentials: Sendable {
    enum Source: Sendable {
        case none
        case token(Secret)
        case tokenFile(String)
        case exec(ExecCredentialProvider, command: String)
    }

    /// What one request (all its attempts) authenticates with.
    struct Prepared: Sendable {
        /// A token fixed for this request (a kubeconfig token, an exec plugin's token).
        var token: Secret?
        /// Read for every attempt.
        var tokenFile: String?
        /// An exec plugin's client certificate and key (PEM).
        var clientCertificate: (certificate: Data, key: Data)?
    }

    let source: Source

    init(_ credentials: KubeConnection.Credentials, server: String) {
        switch credentials {
        case .none: source = .none
        case .token(let token):
            SecretRedactor.shared.register(token)
            source = .token(token)
        case .tokenFile(let path): source = .tokenFile(path)
        case .exec(let config): source = .exec(ExecCredentialProvider(config: config, server: server), command: config.command)
        }
    }

    /// Runs the exec plugin when its credential is missing or expiring; cheap otherwise.
    func prepare(timeout: Duration) async throws -> Prepared {
        switch source {
        case .none: return Prepared()
        case .token(let token): return Prepared(token: token)
        case .tokenFile(let path): return Prepared(tokenFile: path)
        case .exec(let provider, _):
            let credential = try await provider.credential(timeout: timeout)
            var prepared = Prepared(token: credential.token)
            if let certificate = credential.clientCertificateData, let key = credential.clientKeyData {
                prepared.clientCertificate = (certificate, key)
            }
            return prepared
        }
    }

    /// The `Authorization` header of one attempt (nil: none); reads the token file now.
    func authorization(_ prepared: Prepared) throws -> String? {
        if let token = prepared.token { return "Bearer \(token.revealed)" }
        guard let path = prepared.tokenFile else { return nil }
        let token = try Self.readTokenFile(path)
        return "Bearer \(token)"
    }

    /// Whether asking again after a 401 may help: an exec plugin may hand out a new token, and a
    /// token file may have been rotated between reading and sending.
    var refreshesAfterUnauthorized: Bool {
        switch source {
        case .exec, .tokenFile: true
        case .none, .token: false
        }
    }

    /// Forgets a cached exec credential (after a 401).
    func invalidate() {
        if case .exec(let provider, _) = source { provider.invalidate() }
    }

    /// What to check after a 401, for the error message.
    var unauthorizedAdvice: String {
        switch source {
        case .none:
            "the kubeconfig user has no token, client certificate or exec plugin (or the API server does not accept its client certificate: expired, or signed by a CA it does not trust)"
        case .token:
            "the kubeconfig user's token is wrong or expired; get a new one (and check the kubeconfig points at the right cluster)"
        case .tokenFile(let path):
            "the token in \(path) was refused, also after reading it again — an expired token, or one of a ServiceAccount that was deleted or belongs to another cluster"
        case .exec(_, let command):
            "the token the exec plugin \(command) returned was refused, also after running it again — log in again with your cluster provider's tool"
        }
    }

    static func readTokenFile(_ path: String) throws -> String {
        let data: Data
        do {
            data = try FileIO.read(path, maxBytes: 64 * 1024)
        } catch {
            let why =
                switch error {
                case .missing: "it does not exist"
                case .unreadable(let reason): reason
                case .tooLarge: "it holds more than 64 KiB, which is no token"
                }
            throw KubernetesAuthError(
                message: "cannot read the Kubernetes token file \(path): \(why) — is the service account token mounted (automountServiceAccountToken)?")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingSpaces()
        guard !token.isEmpty else {
            throw KubernetesAuthError(message: "the Kubernetes token file \(path) is empty")
        }
        SecretRedactor.shared.register(token, origin: "the Kubernetes token file")
        return token
    }
}
