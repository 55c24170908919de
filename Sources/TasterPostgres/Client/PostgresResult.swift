import TasterCPQ

/// One `PGresult`, owned: `PQclear` in `deinit`. Values are read as text (libpq's text format),
/// which is exact for every type: `numeric` keeps its digits, `bigint` its 64 bits.
final class PostgresResult {
    private let handle: OpaquePointer

    /// Takes ownership of `handle` (from `PQexecParams`).
    init(stealing handle: OpaquePointer) { self.handle = handle }

    deinit { PQclear(handle) }

    var rows: Int { Int(PQntuples(handle)) }
    var columns: Int { Int(PQnfields(handle)) }

    /// The column's name.
    func name(ofColumn column: Int) -> String { String(cString: PQfname(handle, Int32(column))) }

    /// The column's type OID (`pg_type.oid`): 20 bigint, 1700 numeric...
    func type(ofColumn column: Int) -> UInt32 { UInt32(PQftype(handle, Int32(column))) }

    /// The text of a value; nil for SQL NULL.
    func text(row: Int, column: Int) -> String? {
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return nil }
        return String(cString: PQgetvalue(handle, Int32(row), Int32(column)))
    }

    /// The raw bytes of a value, without copying them into a String (the fingerprint's rows).
    func withBytes<T>(row: Int, column: Int, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        if PQgetisnull(handle, Int32(row), Int32(column)) != 0 { return try body(nil) }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        guard let pointer = PQgetvalue(handle, Int32(row), Int32(column)) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: pointer, count: length))
    }
}

@available(*, unavailable)
extension PostgresResult: Sendable {}
