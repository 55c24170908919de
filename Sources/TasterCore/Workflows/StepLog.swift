import Logging
import TasterSupport

/// Logs each workflow step with its duration, so a slow or failed step stands out in pod logs.
struct StepLog: Sendable {
    let logger: Logger

    func run<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        let clock = ContinuousClock()
        let start = clock.now
        logger.info("\(name)…")
        do {
            let value = try await body()
            logger.info("\(name): done in \(Self.format(start.duration(to: clock.now)))")
            return value
        } catch {
            logger.error("\(name): failed after \(Self.format(start.duration(to: clock.now)))")
            throw error
        }
    }

    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        return TextFormatting.fixed(seconds, seconds < 10 ? 2 : 1) + "s"
    }
}
