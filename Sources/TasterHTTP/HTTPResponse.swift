import FoundationEssentials

/// A complete, buffered HTTP response.
package struct HTTPResponse: Sendable {
    package var status: Int
    package var headers: HTTPHeaders
    package var body: Data
    /// Which attempt produced this response (1 when it was not retried).
    package var attempts: Int
    /// Why the retries stopped on this (retryable) answer, when they did.
    package var retriesStopped: RetryStop?

    package init(status: Int, headers: HTTPHeaders, body: Data, attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    package var isSuccess: Bool { (200..<300).contains(status) }
}
