import Synchronization
import TasterCMongoC
import TasterSupport

/// Owns a `mongoc_client_pool_t`: the one MongoDB handle shared between concurrent checks.
///
/// A pool, unlike a single-threaded client, has a background monitor and keeps selecting a
/// server until `serverSelectionTimeoutMS` (a single client tries once and then refuses to try
/// again for 5 s after a failure), which is what waiting for a starting database needs.
///
/// Close it with `close()` when done: destroying a pool joins its monitor threads, which must
/// not still run TLS when the process exits. `deinit` destroys a pool that was not closed.
package final class MongoClientPool: @unchecked Sendable {
    // @unchecked: libmongoc documents mongoc_client_pool_t as thread-safe (pop and push from any
    // thread); the clients it lends are not, and never leave `withClient`.
    private let pointer: OpaquePointer
    /// Clients lent out, whether `close()` was asked for, whether the pool is gone.
    private let state = Mutex<(lent: Int, closing: Bool, destroyed: Bool)>((0, false, false))
    /// The host list, for messages.
    package let host: String
    /// The user name from the URI, if any, for messages.
    package let user: String?

    init(uri: MongoURI) throws(MongoError) {
        var error = bson_error_t()
        guard let pool = mongoc_client_pool_new_with_error(uri.pointer, &error) else {
            throw MongoError(error, origin: .uri, operation: "creating a connection pool", host: uri.host)
        }
        mongoc_client_pool_set_error_api(pool, MONGOC_ERROR_API_VERSION_2)
        pointer = pool
        host = uri.host
        user = uri.username
    }

    deinit {
        destroy()
    }

    /// Lends a client for `body` (blocking; call inside `Blocking.run`) and takes it back after.
    /// The client must not escape `body`. Once `close()` was asked for, a call that was already
    /// on its way (the run stopped waiting for it) gets `CancellationError` instead.
    package func withClient<T>(_ body: (MongoClient) throws -> T) throws -> T {
        let closing = state.withLock { state in
            if !state.closing { state.lent += 1 }
            return state.closing
        }
        if closing { throw CancellationError() }
        let client = mongoc_client_pool_pop(pointer)!
        defer {
            mongoc_client_pool_push(pointer, client)
            let last = state.withLock { state in
                state.lent -= 1
                return state.closing && state.lent == 0
            }
            // Closed while this call was abandoned: the pool goes with its last client.
            if last { destroy() }
        }
        return try body(MongoClient(borrowing: client, host: host))
    }

    /// Destroys the pool (joining its monitor threads) off the cooperative thread pool. Call it
    /// once no client is lent; later calls do nothing. A client still lent belongs to a call the
    /// run walked away from: the pool is then destroyed when that call gives it back, never
    /// under it.
    package func close() async {
        let now = state.withLock { state in
            state.closing = true
            return state.lent == 0
        }
        // A client still lent to an abandoned call: the pool goes with it (see `withClient`).
        guard now else { return }
        _ = try? await Blocking.run { self.destroy() }
    }

    private func destroy() {
        let first = state.withLock { state in
            defer { state.destroyed = true }
            return !state.destroyed
        }
        guard first else { return }
        mongoc_client_pool_destroy(pointer)
    }
}
