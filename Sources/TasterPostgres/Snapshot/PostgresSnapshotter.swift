import FoundationEssentials
import TasterCore
import TasterSupport

/// Measures every check of a plan on one connection, inside one `REPEATABLE READ READ ONLY`
/// transaction: every number comes from the same instant, and nothing can be written. Each
/// statement runs with `statement_timeout` set to what is left of the deadline, so the server
/// stops a query that would outlive the run. Blocking: runs inside `Blocking.run`, one thread;
/// `PostgresSnapshotSource` cancels the statement in flight (`PQcancel`) on SIGTERM.
struct PostgresSnapshotter {
    let connection: PostgresConnection
    let plan: SnapshotPlan
    let deadline: Deadline
    let cancellation: CancellationFlag
    /// How document indexes are kept; nil when this snapshot keeps none (`taster snapshot`).
    var evidence: EvidencePolicy? = nil

    /// The result of `measure`: the snapshot with its checks' document indexes, and the tables
    /// found missing (recorded, not measured). With `refusingMissing` (the baseline), a missing
    /// table (`MissingCollectionError`) or a table without a primary key under a check that names
    /// rows (`NoPrimaryKeyError`) is refused, exit 2, before any check is measured.
    func measure(cutAt baseline: Date?, refusingMissing: Bool) throws -> (IndexedSnapshot, unguarded: [CheckDefinition]) {
        let clock = ContinuousClock()
        let started = clock.now
        try run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", operation: "starting the snapshot's read-only transaction")
        try connection.setReadSettings()
        let now = try connection.execute(
            "SELECT extract(epoch FROM now())::text, current_database()", operation: "reading the server's time")
        let takenAt = now.text(row: 0, column: 0).flatMap(Double.init).map { Date(timeIntervalSince1970: $0) } ?? Date()
        let database = now.text(row: 0, column: 1) ?? plan.database
        let (existing, unguarded) = try Self.refusals(connection, plan: plan, refusing: refusingMissing)
        var catalog = PostgresCatalog(connection: connection)
        let cut = AsOfCut(time: baseline ?? takenAt)
        var results: [CheckResult] = []
        var indexes: [String: DocumentIndexOutcome] = [:]
        for check in plan.checks {
            if cancellation.isCancelled { throw CancellationError() }
            try deadline.check("the snapshot (check \"\(check.name)\")")
            let checkStarted = clock.now
            let exists = check.kind == .query || (existing[check.database]?.contains(check.collection) ?? false)
            var result = CheckResult(
                name: check.name, kind: check.kind, database: check.database, collection: check.collection,
                value: nil, durationSeconds: 0, missing: !exists, rule: check.rule, severity: check.severity,
                allowMissing: check.allowMissing, parameters: check.parameters(cut: cut, dialect: PostgresCheckDialect()))
            let indexing = check.indexesDocuments ? evidence : nil
            if exists {
                try setStatementTimeout()
                var runner = PostgresCheckRunner(
                    connection: connection, catalog: catalog, cut: cut, deadline: deadline, cancellation: cancellation,
                    evidence: indexing)
                let measurement = try runner.measure(check)
                catalog = runner.catalog
                result.value = measurement.value
                result.documents = measurement.rows
                if let index = measurement.index { indexes[check.name] = index }
            } else if indexing != nil {
                indexes[check.name] = .skipped("table \(check.database).\(check.collection) does not exist")
            }
            result.durationSeconds = checkStarted.duration(to: clock.now).seconds
            results.append(result)
        }
        try run("COMMIT", operation: "ending the snapshot's read-only transaction")
        let snapshot = Snapshot(
            database: database, serverVersion: "PostgreSQL " + connection.serverVersion, takenAt: Timestamp.rfc3339(takenAt),
            clock: "server", durationSeconds: started.duration(to: clock.now).seconds, checks: results)
        return (IndexedSnapshot(snapshot: snapshot, indexes: indexes), unguarded)
    }

    /// The tables of the plan's schemas, and the checks whose table does not exist. With
    /// `refusing` (the baseline), throws `MissingCollectionError` for a missing table whose check
    /// does not say `allowMissing: true`, then `NoPrimaryKeyError` for a table without a primary
    /// key under a check that names rows and does not say `allowNoPrimaryKey: true` (exit 2 both).
    /// Reads the catalog only: the snapshot runs it first, and pre-taste before anything is scaled.
    static func refusals(
        _ connection: PostgresConnection, plan: SnapshotPlan, refusing: Bool
    ) throws -> (existing: [String: Set<String>], unguarded: [CheckDefinition]) {
        var existing: [String: Set<String>] = [:]
        for schema in plan.databases { existing[schema] = try tables(in: schema, connection) }
        let unguarded = plan.checks.filter {
            $0.kind != .query && !$0.allowMissing && !(existing[$0.database]?.contains($0.collection) ?? false)
        }
        guard refusing else { return (existing, unguarded) }
        if !unguarded.isEmpty { throw MissingCollectionError(checks: unguarded, existing: existing) }
        var catalog = PostgresCatalog(connection: connection)
        let unkeyed = try plan.checks.filter { check in
            guard check.needsPrimaryKey, existing[check.database]?.contains(check.collection) ?? false else {
                return false
            }
            return try catalog.primaryKey(of: connection.identifier(check.database) + "." + connection.identifier(check.collection)).isEmpty
        }
        if !unkeyed.isEmpty { throw NoPrimaryKeyError(checks: unkeyed) }
        return (existing, unguarded)
    }

    /// The tables (and views) of `schema`, from the catalog, which every role may read.
    static func tables(in schema: String, _ connection: PostgresConnection) throws -> Set<String> {
        let result = try connection.execute(
            """
            SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
            """, [schema], operation: "listing the tables of schema \(schema)")
        return Set((0..<result.rows).compactMap { result.text(row: $0, column: 0) })
    }

    /// `statement_timeout` for the transaction's next statements: what is left of the deadline.
    func setStatementTimeout() throws {
        let milliseconds = max(deadline.remaining.milliseconds, 1)
        _ = try connection.execute(
            "SELECT set_config('statement_timeout', $1, true)", [String(milliseconds)], operation: "setting statement_timeout")
    }

    func run(_ sql: String, operation: String) throws {
        _ = try connection.execute(sql, operation: operation)
    }
}
