import Logging
import TasterCMongoC
import TasterCore
import TasterSupport

extension MongoConnector {
    /// How long one ping attempt may select a server while waiting, unless the URI says.
    static let waitAttemptTimeout: Duration = .seconds(5)
    /// How often the wait logs that it is still waiting.
    static let waitLogInterval: Duration = .seconds(5)

    /// Pings until MongoDB accepts connections and the credentials work, for at most `wait`
    /// (`TASTER_MONGO_WAIT`) and never past the deadline, and returns the pool that answered
    /// (the caller closes it).
    /// After a scale-up the database often needs a while; wrong credentials or certificates fail
    /// at once, as waiting cannot help.
    ///
    /// Each attempt uses a fresh pool whose server selection (the URI's
    /// `serverSelectionTimeoutMS`, else 5 s) is bounded by what is left of the wait, so giving up
    /// happens on time.
    package func waitUntilReady(wait: Duration, logger: Logger) async throws -> MongoClientPool {
        let clock = ContinuousClock()
        let start = clock.now
        let waitEnd = min(start.advanced(by: wait), deadline.end)
        let backoff = Backoff(base: .milliseconds(200), cap: .seconds(2))
        var attempt = 0
        var lastError: MongoError?
        var lastLogged: ContinuousClock.Instant?
        while true {
            try Task.checkCancellation()
            let now = clock.now
            if now >= waitEnd {
                guard let lastError else {
                    throw DeadlineExceededError(step: "waiting for MongoDB at \(host)", budget: deadline.budget)
                }
                throw MongoWaitError(
                    host: host, waited: start.duration(to: now), wait: wait,
                    deadlineReached: waitEnd == deadline.end, lastError: lastError)
            }
            do {
                // A SIGTERM must not wait for an attempt's server selection (up to 5 s) to end;
                // the attempt ends by waitEnd on its own, and the loop says why it gave up.
                let pool = try await Blocking.runCancellable { [self] in
                    let pool = try makePool(waitingUntil: waitEnd)
                    // A failed attempt's pool is destroyed here, on this thread, before the next.
                    try pool.withClient { client in
                        _ = try client.command(BSONDocument(appending: "ping", 1), database: "admin", operation: "ping")
                    }
                    return pool
                }
                if attempt > 0 {
                    logger.info(
                        "MongoDB accepts connections",
                        metadata: [
                            "host": .string(host), "waited": .string(DurationParser.format(start.duration(to: clock.now))),
                        ])
                }
                return pool
            } catch let error as MongoError where !error.isPermanent {
                lastError = error
            }
            attempt += 1
            let failedAt = clock.now
            if failedAt < waitEnd, lastLogged.map({ $0.duration(to: failedAt) >= Self.waitLogInterval }) ?? true {
                lastLogged = failedAt
                logger.info(
                    "waiting for MongoDB",
                    metadata: [
                        "host": .string(host),
                        "waited": .string(DurationParser.format(start.duration(to: failedAt))),
                        "wait": .string(DurationParser.format(wait)),
                        "last_error": .string(lastError?.detail ?? ""),
                    ])
            }
            let pause = min(backoff.delay(attempt: attempt), max(failedAt.duration(to: waitEnd), .zero))
            try await Task.sleep(for: pause)
        }
    }
}

/// MongoDB did not accept connections within `TASTER_MONGO_WAIT` (or the deadline). Exit 3.
package struct MongoWaitError: TasterError {
    package let host: String
    package let waited: Duration
    package let wait: Duration
    /// The run's deadline ended the wait before `TASTER_MONGO_WAIT` did.
    package let deadlineReached: Bool
    package let lastError: MongoError

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        let limit = deadlineReached ? "the run's deadline (TASTER_DEADLINE)" : "TASTER_MONGO_WAIT=\(DurationParser.format(wait))"
        return "MongoDB at \(host) did not accept connections within \(DurationParser.format(waited)) (\(limit)); "
            + "last error: \(lastError.description); if it is only slow to start, raise TASTER_MONGO_WAIT"
    }
}
