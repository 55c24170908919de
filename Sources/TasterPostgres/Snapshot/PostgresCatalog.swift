import TasterCore

/// What the snapshot learns of tables from the catalog, once per table: their columns' types
/// and primary keys.
struct PostgresCatalog {
    let connection: PostgresConnection
    private var columns: [String: [(name: String, type: UInt32)]] = [:]
    private var keys: [String: PrimaryKey] = [:]

    init(connection: PostgresConnection) { self.connection = connection }

    /// The columns of `relation` (a quoted `"schema"."table"`), in table order.
    mutating func columns(of relation: String) throws -> [(name: String, type: UInt32)] {
        if let known = columns[relation] { return known }
        let result = try connection.execute(
            """
            SELECT attname, atttypid::int8 FROM pg_catalog.pg_attribute
            WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """, [relation], operation: "reading the columns of \(relation)")
        let found = (0..<result.rows).map { row in
            (name: result.text(row: row, column: 0) ?? "", type: UInt32(result.text(row: row, column: 1) ?? "0") ?? 0)
        }
        columns[relation] = found
        return found
    }

    /// The primary key of `relation`, its columns in key order; empty when it has none.
    mutating func primaryKey(of relation: String) throws -> PrimaryKey {
        if let known = keys[relation] { return known }
        let result = try connection.execute(
            """
            SELECT a.attname, a.atttypid::int8 FROM pg_catalog.pg_index i
            JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey::int2[])
            WHERE i.indrelid = $1::regclass AND i.indisprimary
            ORDER BY array_position(i.indkey::int2[], a.attnum)
            """, [relation], operation: "reading the primary key of \(relation)")
        let found = PrimaryKey(
            columns: (0..<result.rows).map { row in
                PrimaryKey.Column(name: result.text(row: row, column: 0) ?? "", type: UInt32(result.text(row: row, column: 1) ?? "0") ?? 0)
            })
        keys[relation] = found
        return found
    }
}
