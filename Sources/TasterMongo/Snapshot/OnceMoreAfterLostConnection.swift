import Logging
import TasterSupport

/// Makes `read` once more, from the start, when its connection was lost: libmongoc retries a read
/// once, so this is a connection closed twice in a row (a restart, a stepdown's closed sockets),
/// and the pool hands the second attempt a new connection. Only inside the deadline, and only
/// once: a connection that keeps closing still throws. `what` and `again` make the warning
/// (`check "orders": … ; measuring it once more`).
func onceMoreAfterLostConnection<Value>(
    _ what: String, again: String, deadline: Deadline, logger: Logger, _ read: () async throws -> Value
) async throws -> Value {
    do {
        return try await read()
    } catch let error as MongoError where error.kind == .connectionLost && !deadline.isExpired {
        logger.warning("\(what): \(error); \(again)")
        return try await read()
    }
}
