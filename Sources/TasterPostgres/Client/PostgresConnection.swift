import Synchronization
import TasterCPQ
import TasterSupport

#if canImport(Glibc)
import Glibc
#endif

/// One `PGconn`, owned: `PQfinish` in `deinit`. Blocking: use it on a thread of `Blocking`, one
/// call at a time. Every failure becomes a `PostgresError` in `error(_:operation:)`.
final class PostgresConnection {
    private let handle: OpaquePointer
    /// Sends the server a cancel request for the statement in flight, from any thread.
    let canceller: PostgresCanceller

    /// Connects with libpq's keywords and values (`PQconnectdbParams`, `expand_dbname` on, so a
    /// `dbname` holding a `postgresql://` URI is read as one).
    static func connect(_ parameters: [(keyword: String, value: String)], operation: String) throws(PostgresError) -> PostgresConnection {
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer {
            for pointer in keywords { free(pointer) }
            for pointer in values { free(pointer) }
        }
        var keywordPointers: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        var valuePointers: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(&keywordPointers, &valuePointers, 1) else {
            throw PostgresError(sqlState: nil, message: "libpq could not allocate a connection", operation: operation, host: nil)
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            let host = Self.address(of: handle)
            PQfinish(handle)
            throw PostgresError(sqlState: nil, message: message, operation: operation, host: host)
        }
        return PostgresConnection(stealing: handle)
    }

    private init(stealing handle: OpaquePointer) {
        self.handle = handle
        self.canceller = PostgresCanceller(connection: handle)
    }

    deinit { PQfinish(handle) }

    /// `host:port` of the server this connection reached.
    var address: String { Self.address(of: handle) ?? "?" }

    private static func address(of handle: OpaquePointer) -> String? {
        guard let host = PQhost(handle).map({ String(cString: $0) }), !host.isEmpty else { return nil }
        let port = PQport(handle).map { String(cString: $0) } ?? ""
        return port.isEmpty ? host : "\(host):\(port)"
    }

    /// The server's `server_version` (`15.8 (Debian 15.8-0+deb12u1)`).
    var serverVersion: String { PQparameterStatus(handle, "server_version").map { String(cString: $0) } ?? "unknown" }

    /// Whether the connection is encrypted with TLS.
    var usesTLS: Bool { PQsslInUse(handle) != 0 }

    /// The TLS protocol in use (`TLSv1.3`), when it is.
    var tlsProtocol: String? { PQsslAttribute(handle, "protocol").map { String(cString: $0) } }

    /// Runs one statement with text parameters through the extended protocol (which refuses
    /// several statements in one string) and returns its result; a failure is a `PostgresError`
    /// naming `operation`.
    func execute(_ sql: String, _ parameters: [String?] = [], operation: String) throws(PostgresError) -> PostgresResult {
        let copies = parameters.map { $0.map { strdup($0) } ?? nil }
        defer { for pointer in copies { free(pointer) } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
        let raw = pointers.withUnsafeMutableBufferPointer { buffer in
            PQexecParams(handle, sql, Int32(parameters.count), nil, buffer.baseAddress, nil, nil, 0)
        }
        guard let raw else { throw error(nil, operation: operation) }
        let result = PostgresResult(stealing: raw)
        let status = PQresultStatus(raw)
        guard status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK else { throw error(raw, operation: operation) }
        return result
    }

    /// The one place a failed call becomes a Swift error: the server's SQLSTATE and message when
    /// it sent them, libpq's message otherwise.
    private func error(_ result: OpaquePointer?, operation: String) -> PostgresError {
        if let result, let message = PQresultErrorMessage(result).map({ String(cString: $0) }), !message.isEmpty {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            return PostgresError(
                sqlState: state, message: message, operation: operation, host: address, cancelRequested: canceller.wasRequested)
        }
        return PostgresError(sqlState: nil, message: String(cString: PQerrorMessage(handle)), operation: operation, host: address)
    }

    /// `"schema"."table"` and `"column"` as SQL identifiers (`PQescapeIdentifier`, which knows
    /// the connection's encoding).
    func identifier(_ name: String) -> String {
        guard let escaped = PQescapeIdentifier(handle, name, name.utf8.count) else {
            return "\"" + String(name.flatMap { $0 == "\"" ? ["\"", "\""] : [$0] }) + "\""
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }
}

@available(*, unavailable)
extension PostgresConnection: Sendable {}

/// A connection's `PGcancel`, owned: `PQfreeCancel` in `deinit`. `PQcancel` is safe to call from
/// any thread while the connection runs a statement on another (libpq's documentation says so),
/// which is why this, unlike the connection, is Sendable.
final class PostgresCanceller: @unchecked Sendable {
    private let handle: OpaquePointer?
    private let requested = Atomic<Bool>(false)

    fileprivate init(connection: OpaquePointer) { handle = PQgetCancel(connection) }

    deinit { if let handle { PQfreeCancel(handle) } }

    /// Asks the server to cancel the statement in flight; false when the request could not be sent.
    @discardableResult
    func cancel() -> Bool {
        requested.store(true, ordering: .sequentiallyConsistent)
        guard let handle else { return false }
        var buffer = [CChar](repeating: 0, count: 256)
        return PQcancel(handle, &buffer, Int32(buffer.count)) != 0
    }

    /// Whether taster asked to cancel: a statement then ended by `query_canceled` (57014) was
    /// cancelled on purpose, not by `statement_timeout`.
    var wasRequested: Bool { requested.load(ordering: .sequentiallyConsistent) }
}

extension PostgresConnection {
    /// What a connection tells about itself, kept after it is closed.
    struct Summary: Sendable {
        let address: String
        let serverVersion: String
        let usesTLS: Bool
        let tlsProtocol: String?
    }

    var summary: Summary { Summary(address: address, serverVersion: serverVersion, usesTLS: usesTLS, tlsProtocol: tlsProtocol) }

    /// A connection handed from the thread that opened it to the one that uses it next, once:
    /// the only way a connection crosses threads. `take()` gives it to one taker; a handover
    /// never taken closes it when it goes.
    final class Handover: @unchecked Sendable {
        private let lock = Mutex(())
        /// Guarded by `lock`.
        private var connection: PostgresConnection?
        let summary: Summary

        init(_ connection: PostgresConnection) {
            summary = connection.summary
            self.connection = connection
        }

        func take() -> PostgresConnection? {
            lock.withLock { _ in
                defer { connection = nil }
                return connection
            }
        }
    }
}
