/// The whole run's time budget (`TASTER_DEADLINE`): every wait and retry is bounded by it.
package struct Deadline: Sendable {
    package let start: ContinuousClock.Instant
    package let end: ContinuousClock.Instant
    /// The configured budget, for messages.
    package let budget: Duration

    package init(budget: Duration, clock: ContinuousClock = ContinuousClock()) {
        start = clock.now
        end = start.advanced(by: budget)
        self.budget = budget
    }

    /// Time left; zero when expired.
    package var remaining: Duration {
        let left = ContinuousClock.now.duration(to: end)
        return left > .zero ? left : .zero
    }

    /// Time since the run started.
    package var elapsed: Duration { start.duration(to: ContinuousClock.now) }

    package var isExpired: Bool { ContinuousClock.now >= end }

    /// The smaller of `limit` and what is left of the deadline: a step's own timeout stays
    /// inside the run's budget.
    package func capped(_ limit: Duration) -> Duration { min(limit, remaining) }

    /// Throws `DeadlineExceededError` naming `step` when the budget is spent.
    package func check(_ step: String) throws(DeadlineExceededError) {
        if isExpired { throw DeadlineExceededError(step: step, budget: budget) }
    }
}

/// The run's `TASTER_DEADLINE` ran out during `step`.
package struct DeadlineExceededError: TasterError {
    package let step: String
    package let budget: Duration
    package init(step: String, budget: Duration) {
        self.step = step
        self.budget = budget
    }
    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        "the run's deadline of \(DurationParser.format(budget)) (TASTER_DEADLINE) was reached during \(step); "
            + "raise TASTER_DEADLINE or find out why \(step) is slow"
    }
}
