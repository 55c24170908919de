import TasterCore
import TasterHTTP
import TasterSupport

extension RetryPolicy {
    /// The Kubernetes API's policy for reads and idempotent writes (GET, a merge patch of
    /// `spec.replicas`, DELETE): connection failures, timeouts, 409 Conflict, 429 Too Many
    /// Requests and 500/502/503/504 are tried again — at most 6 attempts, exponential backoff
    /// with full jitter (0.2 s doubling to 5 s), waiting at least what `Retry-After` asks (the
    /// API server's priority-and-fairness answers carry it), never past the run's deadline.
    ///
    /// - SeeAlso: https://kubernetes.io/docs/concepts/cluster-administration/flow-control/
    package static let kubernetes = RetryPolicy(
        maxAttempts: 6,
        backoff: Backoff(base: .milliseconds(200), cap: .seconds(5)),
        retryableStatuses: [409, 429, 500, 502, 503, 504],
        retriesTransportFailures: true,
        honoursRetryAfter: true)

    /// For creating objects (an Event, an access review): as `.kubernetes`, but a 409 is an
    /// answer (AlreadyExists), not a reason to send the same object again.
    package static let kubernetesCreate: RetryPolicy = {
        var policy = RetryPolicy.kubernetes
        policy.retryableStatuses.remove(409)
        return policy
    }()
}
