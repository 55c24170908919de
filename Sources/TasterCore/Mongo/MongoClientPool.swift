import Synchronization
import TasterCMongoC

/// Owns a `mongoc_client_pool_t`: the one MongoDB handle shared between concurrent checks.
///
/// A pool, unlike a single-threaded client, has a background monitor and keeps selecting a
/// server until `serverSelectionTimeoutMS` (a single client tries once and then refuses to try
/// again for 5 s after a failure), which is what waiting for a starting database needs.
///
/// Close it with `close()` when done: destroying a pool joins its monitor threads, which must
/// not still run TLS when the process exits. `deinit` destroys a pool that was not closed.
public final class MongoClientPool: @unchecked Sendable {
    // @unchecked: libmongoc documents mongoc_client_pool_t as thread-safe (pop and push from any
    // thread); the clients it lends are not, and never leave `withClient`.
    private let pointer: OpaquePointer
    private let closed = Atomic<Bool>(false)
    /// The host list, for messages.
    public let host: String
    /// The user name from the URI, if any, for messages.
    public let user: String?

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
    /// The client must not escape `body`.
    public func withClient<T>(_ body: (MongoClient) throws -> T) rethrows -> T {
        precondition(!closed.load(ordering: .acquiring), "MongoClientPool used after close()")
        let client = mongoc_client_pool_pop(pointer)!
        defer { mongoc_client_pool_push(pointer, client) }
        return try body(MongoClient(borrowing: client, host: host))
    }

    /// Destroys the pool (joining its monitor threads) off the cooperative thread pool. Call it
    /// once no client is lent; later calls do nothing.
    public func close() async {
        _ = try? await Blocking.run { self.destroy() }
    }

    private func destroy() {
        guard closed.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        mongoc_client_pool_destroy(pointer)
    }
}
