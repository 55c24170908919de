import TasterCore
import TasterHTTP
import TasterSupport

extension RetryPolicy {
    /// S3's policy: idempotent requests are retried on connection failures, timeouts, 429,
    /// 500, 502, 503, 504 and the `SlowDown`/`RequestTimeout`/`InternalError` codes for as long
    /// as `budget` (`TASTER_S3_RETRY_BUDGET`) from the first attempt — so an outage shorter than
    /// it is ridden out — with exponential backoff and full jitter (0.5 s doubling to at most
    /// 5 s, the last wait cut to end with the budget), never past the run's deadline.
    package static func s3(budget: Duration = S3Settings.defaultRetryBudget) -> RetryPolicy {
        RetryPolicy(
            maxAttempts: .max,
            backoff: Backoff(base: .milliseconds(500), cap: .seconds(5)),
            retryableStatuses: [429, 500, 502, 503, 504],
            retriesTransportFailures: true,
            honoursRetryAfter: true,
            isRetryableResponse: { response in
                guard response.status >= 400, let error = S3ErrorResponse.parse(String(decoding: response.body, as: UTF8.self)) else {
                    return false
                }
                return ["SlowDown", "RequestTimeout", "InternalError", "ServiceUnavailable"].contains(error.code)
            },
            budget: RetryBudget(budget, variable: "TASTER_S3_RETRY_BUDGET"))
    }
}
