import FoundationEssentials
import Logging
import Synchronization
import TasterHTTP
import TasterSupport

/// The credentials S3 requests are signed with, from their source (`AWSCredentialSource`):
/// static keys as they are; temporary ones fetched when first needed and fetched again before
/// they expire (when less than half their lifetime, at most 5 minutes, is left), so a long run
/// never signs with expired keys. Every key, token and session token is registered with the
/// scrubber as soon as it is known.
package final class AWSCredentialsProvider: Sendable {
    package let source: AWSCredentialSource
    let http: HTTPClient
    let logger: Logger
    let now: @Sendable () -> Date

    private struct Cached: Sendable {
        let credentials: SigV4Credentials
        let expiration: Date
        let obtained: Date
    }

    private let cache = Mutex<Cached?>(nil)

    package init(source: AWSCredentialSource, http: HTTPClient, logger: Logger, now: @escaping @Sendable () -> Date = { Date() }) {
        self.source = source
        self.http = http
        self.logger = logger
        self.now = now
    }

    /// The static keys, without a fetch; nil for a source of temporary credentials.
    package var staticCredentials: SigV4Credentials? {
        guard case .staticKeys(let id, let secret, let token) = source else { return nil }
        return SigV4Credentials(accessKeyID: id, secretAccessKey: secret.revealed, sessionToken: token?.revealed)
    }

    /// Credentials that are valid now, fetched again when they are close to expiring.
    package func credentials(deadline: Deadline) async throws -> SigV4Credentials {
        if let staticCredentials { return staticCredentials }
        let now = now()
        if let cached = cache.withLock({ $0 }) {
            let margin = min(300, cached.expiration.timeIntervalSince(cached.obtained) / 2)
            if cached.expiration.timeIntervalSince(now) > margin { return cached.credentials }
            logger.info("S3 credentials from the \(source) expire at \(Timestamp.rfc3339(cached.expiration)): fetching new ones")
        }
        let fetched = try await fetch(deadline: deadline)
        SecretRedactor.shared.register(fetched.credentials.secretAccessKey, origin: "the temporary S3 secret key")
        SecretRedactor.shared.register(fetched.credentials.sessionToken, origin: "the temporary S3 session token")
        let cached = Cached(credentials: fetched.credentials, expiration: fetched.expiration, obtained: now)
        cache.withLock { $0 = cached }
        logger.debug("S3 credentials from the \(source), valid until \(Timestamp.rfc3339(fetched.expiration))")
        return fetched.credentials
    }

    private func fetch(deadline: Deadline) async throws -> (credentials: SigV4Credentials, expiration: Date) {
        switch source {
        case .staticKeys: fatalError("static keys are never fetched")
        case .webIdentity(let role, let file, let session, let sts):
            return try await assumeRoleWithWebIdentity(role: role, tokenFile: file, sessionName: session, endpoint: sts, deadline: deadline)
        case .container(let url, let token):
            return try await containerCredentials(url: url, token: token, deadline: deadline)
        }
    }

    func fail(_ problem: String, _ advice: String) -> AWSCredentialsError {
        AWSCredentialsError(source: source, problem: problem, advice: advice)
    }

    /// The retry policy of credential fetches: brief, for a flaky agent or STS.
    static let retry = RetryPolicy(
        maxAttempts: 3, backoff: Backoff(base: .milliseconds(200), cap: .seconds(2)),
        retryableStatuses: [429, 500, 502, 503, 504], honoursRetryAfter: true)

    /// The HTTP settings credential fetches use (STS, the agent).
    package static func httpConfiguration(caBundle: String?) -> HTTPClientConfiguration {
        HTTPClientConfiguration(
            serviceName: "AWS credentials",
            tls: TLSConfiguration(certificateAuthority: caBundle.map { .file($0) }),
            connectTimeout: .seconds(5), requestTimeout: .seconds(15), maxResponseBytes: 256 * 1024)
    }
}
