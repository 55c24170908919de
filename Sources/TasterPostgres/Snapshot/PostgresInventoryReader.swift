import FoundationEssentials
import TasterCore
import TasterSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads the database's inventory from `pg_catalog`, in one `REPEATABLE READ READ ONLY`
/// transaction of its own: every table and view of the user schemas (all but `pg_catalog`,
/// `information_schema`, `pg_toast` and temporary ones) as `schema.table`, with its columns
/// (type, nullability, default), constraints (primary key, unique, foreign key, check,
/// exclusion: `pg_get_constraintdef`), indexes (`pg_get_indexdef`, unique, primary, partial
/// predicate) and a view's definition (`pg_get_viewdef`). Four catalog queries whatever the
/// table count, and one `EXISTS` per readable table (batched) to tell an emptied table: the
/// catalog's `reltuples` lags behind deletes until the next vacuum, so it is only the
/// estimate shown. The catalog is readable by every role; a table the role may not read has an
/// unknown count, recorded as a problem. Blocking: runs inside `Blocking.run`.
struct PostgresInventoryReader {
    let connection: PostgresConnection
    let deadline: Deadline
    let rules: StructurePolicy?

    /// How many tables one `EXISTS` query looks at.
    static let existsBatch = 100

    static let userSchemas = """
        n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' \
        AND n.nspname NOT LIKE 'pg\\_temp\\_%'
        """
    static let relationKinds = "c.relkind IN ('r', 'p', 'f', 'v', 'm')"

    /// How many times the catalog is read when another session changes it meanwhile; the reads
    /// are 20, 40, 80, 160 and 320 ms apart, so a migration's burst of DDL is over before the last.
    static let attempts = 6
    /// The delays between them (their ceilings: no jitter), never past the deadline.
    static let backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(320))
    /// What another session's DDL does to a read of the catalog: XX000, a table, index or view
    /// dropped between the listing and a catalog function's lookup ("could not open relation",
    /// "cache lookup failed for index"); 42P01, a table dropped before its `EXISTS`; 40P01, a
    /// deadlock with the DDL's locks; 40001, a serialization failure.
    static let changedMeanwhile: Set<String> = ["XX000", "42P01", "40P01", "40001"]

    /// The inventory. Catalog functions (`pg_get_viewdef`, `pg_get_indexdef`,
    /// `pg_get_constraintdef`) look objects up in the server's current catalog, not in the
    /// transaction's snapshot, so another session's DDL (a migration in another schema) can fail
    /// a read (`changedMeanwhile`). Such a read is rolled back and made again, up to `attempts`
    /// times (blocking this thread in between: the reader runs on one of `Blocking`'s); the last
    /// failure is thrown (exit 3).
    func read() throws -> DatabaseInventory {
        var attempt = 1
        while true {
            do {
                return try readOnce()
            } catch let error as PostgresError
                where Self.changedMeanwhile.contains(error.sqlState ?? "") && attempt < Self.attempts
            {
                _ = try connection.execute("ROLLBACK", operation: "ending the inventory's transaction to read it again")
                let delay = min(Self.backoff.ceiling(attempt: attempt - 1), deadline.remaining)
                usleep(UInt32(max(0, delay.seconds) * 1_000_000))
                try deadline.check("the inventory")
                attempt += 1
            }
        }
    }

    private func readOnce() throws -> DatabaseInventory {
        let clock = ContinuousClock()
        let started = clock.now
        _ = try connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", operation: "starting the inventory's transaction")
        try connection.setReadSettings()
        _ = try connection.execute(
            "SELECT set_config('statement_timeout', $1, true)", [String(max(deadline.remaining.milliseconds, 1))],
            operation: "setting statement_timeout")
        let database = try connection.execute("SELECT current_database()", operation: "reading the database's name").text(row: 0, column: 0) ?? ""
        let relations = try connection.execute(
            """
            SELECT c.oid::int8, n.nspname, c.relname, c.relkind::text, c.reltuples::int8, has_table_privilege(c.oid, 'SELECT'),
                   CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE \(Self.relationKinds) AND \(Self.userSchemas)
            ORDER BY n.nspname, c.relname
            """, operation: "listing the tables and views (pg_class)")
        var tables: [(oid: String, relation: String, inventory: CollectionInventory, readable: Bool, estimate: Int64)] = []
        for row in 0..<relations.rows {
            let kind = relations.text(row: row, column: 3) ?? "r"
            let isView = kind == "v" || kind == "m"
            var options: [String: String] = [:]
            if let definition = relations.text(row: row, column: 6) { options["definition"] = definition.trimmingSpaces() }
            if kind == "m" { options["materialized"] = "true" }
            if kind == "f" { options["foreign"] = "true" }
            if kind == "p" { options["partitioned"] = "true" }
            let (schema, table) = (relations.text(row: row, column: 1) ?? "", relations.text(row: row, column: 2) ?? "")
            let name = schema + "." + table
            tables.append(
                (
                    oid: relations.text(row: row, column: 0) ?? "",
                    relation: connection.identifier(schema) + "." + connection.identifier(table),
                    inventory: CollectionInventory(
                        name: name, type: isView ? .view : .table, options: options, estimatedCount: nil, indexes: [],
                        columns: [], constraints: isView ? nil : []),
                    readable: relations.text(row: row, column: 5) == "t",
                    estimate: Int64(relations.text(row: row, column: 4) ?? "") ?? -1
                ))
        }
        let position = Dictionary(tables.enumerated().map { ($1.oid, $0) }, uniquingKeysWith: { first, _ in first })

        let columns = try connection.execute(
            """
            SELECT a.attrelid::int8, a.attname, pg_catalog.format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
                   pg_catalog.pg_get_expr(d.adbin, d.adrelid)
            FROM pg_catalog.pg_attribute a
            JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attnum > 0 AND NOT a.attisdropped AND \(Self.relationKinds) AND \(Self.userSchemas)
            ORDER BY a.attrelid, a.attnum
            """, operation: "listing the columns (pg_attribute)")
        for row in 0..<columns.rows {
            guard let at = position[columns.text(row: row, column: 0) ?? ""] else { continue }
            tables[at].inventory.columns?.append(
                ColumnSpec(
                    name: columns.text(row: row, column: 1) ?? "", type: columns.text(row: row, column: 2) ?? "",
                    nullable: columns.text(row: row, column: 3) == "t", default: columns.text(row: row, column: 4)))
        }

        let constraints = try connection.execute(
            """
            SELECT k.conrelid::int8, k.conname, k.contype::text, pg_catalog.pg_get_constraintdef(k.oid, true)
            FROM pg_catalog.pg_constraint k
            JOIN pg_catalog.pg_class c ON c.oid = k.conrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE k.contype IN ('p', 'u', 'f', 'c', 'x') AND \(Self.relationKinds) AND \(Self.userSchemas)
            ORDER BY k.conrelid, k.conname
            """, operation: "listing the constraints (pg_constraint)")
        for row in 0..<constraints.rows {
            guard let at = position[constraints.text(row: row, column: 0) ?? ""] else { continue }
            let kind: ConstraintSpec.Kind =
                switch constraints.text(row: row, column: 2) {
                case "p": .primaryKey
                case "u": .unique
                case "f": .foreignKey
                case "c": .check
                case "x": .exclusion
                default: .other
                }
            tables[at].inventory.constraints?.append(
                ConstraintSpec(
                    name: constraints.text(row: row, column: 1) ?? "", type: kind, definition: constraints.text(row: row, column: 3) ?? ""))
        }

        let indexes = try connection.execute(
            """
            SELECT i.indrelid::int8, ic.relname, pg_catalog.pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary,
                   pg_catalog.pg_get_expr(i.indpred, i.indrelid)
            FROM pg_catalog.pg_index i JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
            JOIN pg_catalog.pg_class c ON c.oid = i.indrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE \(Self.relationKinds) AND \(Self.userSchemas)
            ORDER BY i.indrelid, ic.relname
            """, operation: "listing the indexes (pg_index)")
        for row in 0..<indexes.rows {
            guard let at = position[indexes.text(row: row, column: 0) ?? ""] else { continue }
            var spec = [
                "definition": indexes.text(row: row, column: 2) ?? "", "unique": indexes.text(row: row, column: 3) == "t" ? "true" : "false",
            ]
            if indexes.text(row: row, column: 4) == "t" { spec["primary"] = "true" }
            if let predicate = indexes.text(row: row, column: 5) { spec["predicate"] = predicate }
            tables[at].inventory.indexes?.append(IndexSpec(name: indexes.text(row: row, column: 1) ?? "", spec: spec))
        }

        // Emptiness, exactly, for the tables the role may read (a foreign table is not read: that
        // would reach its remote server; its estimate stands).
        var problems: [String] = []
        let counted = tables.indices.filter { tables[$0].inventory.type == .table && tables[$0].inventory.options["foreign"] == nil }
        for at in counted where !tables[at].readable {
            let problem = "SELECT on \(tables[at].inventory.name) is not granted: whether it is empty is unknown"
            tables[at].inventory.problems = [problem]
            problems.append(problem)
        }
        let readable = counted.filter { tables[$0].readable }
        for start in stride(from: 0, to: readable.count, by: Self.existsBatch) {
            try deadline.check("the inventory (emptiness of the tables)")
            let batch = readable[start..<min(start + Self.existsBatch, readable.count)]
            let select = batch.enumerated().map { offset, at in
                "SELECT \(offset), EXISTS (SELECT 1 FROM \(tables[at].relation))"
            }.joined(separator: " UNION ALL ")
            let found = try connection.execute(select, operation: "reading whether the tables are empty")
            for row in 0..<found.rows {
                guard let offset = Int(found.text(row: row, column: 0) ?? "") else { continue }
                let at = batch[batch.startIndex + offset]
                tables[at].inventory.estimatedCount = found.text(row: row, column: 1) == "t" ? max(tables[at].estimate, 1) : 0
            }
        }
        for at in tables.indices where tables[at].inventory.options["foreign"] != nil {
            tables[at].inventory.estimatedCount = max(tables[at].estimate, 0)
        }
        _ = try connection.execute("COMMIT", operation: "ending the inventory's transaction")
        return DatabaseInventory(
            database: database, collections: tables.map(\.inventory), problems: problems,
            durationSeconds: started.duration(to: clock.now).seconds, rules: rules)
    }
}
