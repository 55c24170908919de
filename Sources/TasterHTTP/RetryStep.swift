/// `RetryPolicy.next`'s answer.
package enum RetryStep: Sendable, Equatable {
    case retry(after: Duration)
    case stop(RetryStop)
}

/// Why retries stopped.
package enum RetryStop: Sendable, Equatable {
    /// `maxAttempts` were made.
    case attempts
    /// The run's deadline leaves no time for another attempt.
    case deadline
    /// The retry budget is spent.
    case budget(RetryBudget)
}
