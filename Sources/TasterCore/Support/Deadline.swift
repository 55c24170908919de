/// The whole run's time budget (`TASTER_DEADLINE`): every wait and retry is bounded by it.
public struct Deadline: Sendable {
    public let start: ContinuousClock.Instant
    public let end: ContinuousClock.Instant
    /// The configured budget, for messages.
    public let budget: Duration

    public init(budget: Duration, clock: ContinuousClock = ContinuousClock()) {
        start = clock.now
        end = start.advanced(by: budget)
        self.budget = budget
    }

    /// Time left; zero when expired.
    public var remaining: Duration {
        let left = ContinuousClock.now.duration(to: end)
        return left > .zero ? left : .zero
    }

    public var isExpired: Bool { ContinuousClock.now >= end }

    /// Elapsed since the run started.
    public var elapsed: Duration { start.duration(to: .now) }

    /// The smaller of `limit` and what is left of the deadline: a step's own timeout stays
    /// inside the run's budget.
    public func capped(_ limit: Duration) -> Duration { min(limit, remaining) }

    /// Throws `DeadlineExceededError` naming `step` when the budget is spent.
    public func check(_ step: String) throws(DeadlineExceededError) {
        if isExpired { throw DeadlineExceededError(step: step, budget: budget) }
    }
}

/// The run's `TASTER_DEADLINE` ran out during `step`.
public struct DeadlineExceededError: TasterError {
    public let step: String
    public let budget: Duration
    public var exitCode: TasterExitCode { .dependency }
    public var description: String {
        "the run's deadline of \(DurationParser.format(budget)) (TASTER_DEADLINE) was reached during \(step); "
            + "raise TASTER_DEADLINE or find out why \(step) is slow"
    }
}
