/// Exponential backoff with full jitter (AWS's "Exponential Backoff and Jitter"): attempt n
/// sleeps a random time in [0, min(cap, base * 2^n)], never past the deadline.
package struct Backoff: Sendable {
    package var base: Duration
    package var cap: Duration

    package init(base: Duration = .milliseconds(100), cap: Duration = .seconds(5)) {
        self.base = base
        self.cap = cap
    }

    /// The longest delay attempt `attempt` (0-based) may sleep.
    package func ceiling(attempt: Int) -> Duration {
        let factor = 1 << min(attempt, 20)
        let grown = base * factor
        return min(grown, cap)
    }

    /// A random delay for `attempt`, using `random` (injectable for tests).
    package func delay(attempt: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        let ceiling = ceiling(attempt: attempt).seconds
        return .milliseconds(Int64(random(0...ceiling) * 1000))
    }

    /// Sleeps for `attempt`'s delay, or less when the deadline is closer, honouring cancellation.
    /// Returns false (without sleeping) when the deadline has no time left.
    package func sleep(
        attempt: Int, deadline: Deadline, minimum: Duration = .zero,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) async throws -> Bool {
        let remaining = deadline.remaining
        guard remaining > .zero else { return false }
        let wanted = max(delay(attempt: attempt, random: random), minimum)
        try await Task.sleep(for: min(wanted, remaining))
        return true
    }
}
