import FoundationEssentials
import TasterSupport

/// When and how often `HTTPClient.execute` sends a request again: which statuses and which
/// transport failures count as transient, whether `Retry-After` is honoured, how many attempts
/// at most, and the backoff between them (exponential, full jitter, never past the deadline).
///
/// Only idempotent requests may be retried. S3 uses `.s3` (see `RetryPolicy+S3.swift`); the
/// Kubernetes client makes its own, e.g.
/// `RetryPolicy(retryableStatuses: [409, 429, 500, 502, 503, 504], honoursRetryAfter: true)`.
package struct RetryPolicy: Sendable {
    /// Attempts in all, the first included; 1 means no retries.
    package var maxAttempts: Int
    package var backoff: Backoff
    package var retryableStatuses: Set<Int>
    /// Retry connection failures, timeouts and broken connections (`HTTPError.isTransient`).
    package var retriesTransportFailures: Bool
    /// Wait at least what a `Retry-After` header asks (still never past the deadline).
    package var honoursRetryAfter: Bool
    /// A further test on a response whose status alone is not retryable (S3's `SlowDown` code).
    package var isRetryableResponse: @Sendable (HTTPResponse) -> Bool
    /// The jitter's random source: `{ Double.random(in: $0) }`; tests pass `{ $0.upperBound }`.
    package var random: @Sendable (ClosedRange<Double>) -> Double
    /// When set, attempts go on (whatever `maxAttempts` says) until this much time has passed
    /// since the first one; the deadline still wins.
    package var budget: RetryBudget?

    package init(
        maxAttempts: Int = 5,
        backoff: Backoff = Backoff(),
        retryableStatuses: Set<Int> = [429, 500, 502, 503, 504],
        retriesTransportFailures: Bool = true,
        honoursRetryAfter: Bool = false,
        isRetryableResponse: @escaping @Sendable (HTTPResponse) -> Bool = { _ in false },
        random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
        budget: RetryBudget? = nil
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff
        self.retryableStatuses = retryableStatuses
        self.retriesTransportFailures = retriesTransportFailures
        self.honoursRetryAfter = honoursRetryAfter
        self.isRetryableResponse = isRetryableResponse
        self.random = random
        self.budget = budget
    }

    /// The least time an attempt needs to mean anything: a backoff that would leave less than
    /// this before the deadline is not slept, so the caller hears the last attempt's answer now
    /// instead of a "no time left" after sleeping out the run.
    package static let shortestAttempt: Duration = .milliseconds(100)

    /// One attempt, no retries: for requests that are not idempotent.
    package static let never = RetryPolicy(maxAttempts: 1, retryableStatuses: [], retriesTransportFailures: false)

    package func shouldRetry(_ response: HTTPResponse) -> Bool {
        retryableStatuses.contains(response.status) || isRetryableResponse(response)
    }

    package func shouldRetry(_ error: HTTPError) -> Bool {
        retriesTransportFailures && error.isTransient
    }

    /// The wait a response asks for, when the policy honours `Retry-After`.
    package func requestedDelay(_ response: HTTPResponse, now: Date = Date()) -> Duration? {
        guard honoursRetryAfter, let value = response.headers["Retry-After"] else { return nil }
        return Self.parseRetryAfter(value, now: now)
    }

    /// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); nil when malformed.
    package static func parseRetryAfter(_ value: String, now: Date = Date()) -> Duration? {
        let text = value.trimmingSpaces()
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        guard let date = HTTPDate.parse(text) else { return nil }
        let seconds = date.timeIntervalSince(now)
        return .milliseconds(Int64(max(0, seconds) * 1000))
    }

    /// What to do after attempt `attempt` failed, `elapsed` after the first one began: another
    /// attempt after a delay (never past the deadline nor the budget), or stop and say why.
    package func next(after attempt: Int, elapsed: Duration, minimum: Duration?, deadline: Deadline) -> RetryStep {
        if let budget {
            guard elapsed < budget.duration else { return .stop(.budget(budget)) }
        } else if attempt >= maxAttempts {
            return .stop(.attempts)
        }
        let remaining = deadline.remaining
        guard remaining > Self.shortestAttempt else { return .stop(.deadline) }
        if let minimum, minimum + Self.shortestAttempt >= remaining { return .stop(.deadline) }
        var delay = max(backoff.delay(attempt: attempt - 1, random: random), minimum ?? .zero)
        if let budget {
            // The last wait is cut to end with the budget — but never below a Retry-After.
            let left = budget.duration - elapsed
            if let minimum, minimum > left { return .stop(.budget(budget)) }
            delay = min(delay, left)
        }
        guard delay + Self.shortestAttempt < remaining else { return .stop(.deadline) }
        return .retry(after: delay)
    }
}
