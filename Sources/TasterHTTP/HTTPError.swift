import TasterSupport

/// A request that got no usable HTTP response: the connection, TLS, a timeout, or a response
/// too large to accept. Names the service, method and URL (secrets masked) and curl's own
/// message. Exit code 3: a dependency failed.
package struct HTTPError: TasterError {
    package enum Kind: Sendable, Equatable {
        /// The host name did not resolve, or nothing accepted the connection.
        case connectionFailed
        /// The server's certificate (or host name) failed verification.
        case certificateVerificationFailed
        /// The TLS handshake failed (not a certificate that failed verification).
        case tlsFailed
        /// The CA bundle, client certificate or key given to taster could not be used.
        case tlsConfigurationFailed
        /// The attempt took longer than its timeout.
        case timedOut(Duration)
        /// The connection broke while sending or receiving.
        case transferFailed
        /// The response body is larger than the limit; `declaredSize` when the server said how large.
        case responseTooLarge(limit: Int, declaredSize: Int64?)
        /// The request cannot be sent as given (a malformed URL or header, an unsupported option).
        case invalidRequest
    }

    package var kind: Kind
    /// "S3", "Kubernetes API".
    package var service: String
    package var method: String
    /// The URL with user info and query-string secrets masked.
    package var url: String
    /// libcurl's own message (its error buffer, else `curl_easy_strerror`).
    package var curlMessage: String
    /// The CURLcode, for logs and tests; nil for failures found before libcurl ran.
    package var curlCode: Int?
    /// What a person should try.
    package var advice: String
    /// How many attempts were made (retries included).
    package var attempts: Int = 1
    /// Set when the retries stopped because the run's deadline was reached.
    package var stoppedByDeadline = false
    /// Why the retries stopped, when they did (`.budget` is named in the message).
    package var retriesStopped: RetryStop?
    /// How long the attempts went on, first to last.
    package var retriedFor: Duration = .zero

    package var exitCode: TasterExitCode { .dependency }

    /// Worth another attempt for an idempotent request.
    package var isTransient: Bool {
        switch kind {
        case .connectionFailed, .timedOut, .transferFailed, .tlsFailed: true
        case .certificateVerificationFailed, .tlsConfigurationFailed, .responseTooLarge, .invalidRequest: false
        }
    }

    package var description: String {
        var text = "\(service) \(method) \(url) failed: \(summary)"
        if !curlMessage.isEmpty { text += " (curl: \(curlMessage))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if stoppedByDeadline { text += "; the run's deadline (TASTER_DEADLINE) left no time for another attempt" }
        if case .budget(let budget) = retriesStopped {
            text += "; still failing when the retry budget \(budget.setting) was spent (\(HTTPClient.seconds(retriedFor)) s of retries)"
        }
        return text + "; " + advice
    }

    package var summary: String {
        switch kind {
        case .connectionFailed: "could not connect"
        case .certificateVerificationFailed: "certificate verify failed: the server's TLS certificate is not trusted"
        case .tlsFailed: "the TLS handshake failed"
        case .tlsConfigurationFailed: "the TLS settings could not be used"
        case .timedOut(let limit): "no complete response within \(DurationParser.format(limit))"
        case .transferFailed: "the connection broke"
        case .responseTooLarge(let limit, let declared):
            if let declared, declared >= 0 {
                "the response is \(declared) bytes, more than the limit of \(limit) bytes; refused without reading it"
            } else {
                "the response is larger than the limit of \(limit) bytes; stopped reading it"
            }
        case .invalidRequest: "the request could not be sent"
        }
    }
}
