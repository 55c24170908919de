import TasterCore
import TasterHTTP
import TasterSupport

extension RetryPolicy {
    /// S3's policy: idempotent requests are retried on connection failures, timeouts, 429,
    /// 500, 502, 503, 504 and the `SlowDown`/`RequestTimeout`/`InternalError` codes — at most
    /// 5 attempts, exponential backoff with full jitter (0.5 s doubling to 8 s), never past the
    /// run's deadline.
    package static let s3 = RetryPolicy(
        maxAttempts: 5,
        backoff: Backoff(base: .milliseconds(500), cap: .seconds(8)),
        retryableStatuses: [429, 500, 502, 503, 504],
        retriesTransportFailures: true,
        honoursRetryAfter: true,
        isRetryableResponse: { response in
            guard response.status >= 400, let error = S3ErrorResponse.parse(String(decoding: response.body, as: UTF8.self)) else {
                return false
            }
            return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"].contains(error.code)
        })
}
