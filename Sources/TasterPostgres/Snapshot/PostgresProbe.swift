import Logging
import TasterCore
import TasterSupport

/// `taster check` for PostgreSQL: the checks file is valid, taster connects and authenticates
/// (and with what TLS), and the role may read what it will measure — `USAGE` on each schema and
/// `SELECT` on each table, which `pg_read_all_data` gives too. A missing grant is named, as the
/// statement that gives it. A table that does not exist fails unless each of its checks says
/// `allowMissing: true` (pre-taste refuses it).
package struct PostgresProbe: DependencyProbe {
    let settings: PostgresSettings
    let deadline: Deadline
    let logger: Logger
    static let wait: Duration = .seconds(15)

    package init(settings: PostgresSettings, deadline: Deadline, logger: Logger) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
    }

    package func run() async -> [CheckFinding] {
        var results: [CheckFinding] = []
        let plan: SnapshotPlan
        do {
            plan = try SnapshotPlan(settings: settings)
            let extra = plan.checks.count - settings.tables.count
            results.append(
                .init("PostgreSQL", "checks", .ok, settings.checksFile.map { "\($0): valid" + (extra > 0 ? ", \(extra) checks" : "") } ?? "default counts only")
            )
        } catch {
            return [.init("PostgreSQL", "checks", .fail, "\(error)")]
        }
        let settings = settings
        let timeout = deadline.capped(Self.wait)
        do {
            let findings = try await Blocking.runCancellable { () throws -> [CheckFinding] in
                let connection = try PostgresConnection.connect(
                    settings.parameters(connectTimeout: timeout), operation: "connecting to PostgreSQL")
                return try Self.findings(connection, settings: settings, plan: plan)
            }
            return results + findings
        } catch {
            return results + [.init("PostgreSQL", "connect", .fail, "\(error)")]
        }
    }

    static func findings(_ connection: PostgresConnection, settings: PostgresSettings, plan: SnapshotPlan) throws -> [CheckFinding] {
        var lines: [CheckFinding] = []
        let who = try connection.execute("SELECT current_user, current_database()", operation: "reading the role")
        let role = who.text(row: 0, column: 0) ?? "?"
        let tls = connection.usesTLS ? "TLS \(connection.tlsProtocol ?? "")" : "no TLS"
        lines.append(
            .init(
                "PostgreSQL", "connect", .ok,
                "\(settings.display): authenticated as \(role), PostgreSQL \(connection.serverVersion), \(tls)"))
        if !connection.usesTLS {
            lines.append(
                .init("PostgreSQL", "tls", .warn, "the connection is not encrypted; set sslmode=verify-full (and sslrootcert) to require TLS"))
        }
        _ = try connection.execute("SET statement_timeout = 10000", operation: "setting statement_timeout")
        var seenSchemas: Set<String> = []
        let targets = Set(plan.checks.filter { $0.kind != .query }.map { "\($0.database)\u{0}\($0.collection)" }).sorted()
        for target in targets {
            let parts = target.split(separator: "\u{0}", omittingEmptySubsequences: false).map(String.init)
            let (schema, table) = (parts[0], parts[1])
            let checks = plan.checks.filter { $0.database == schema && $0.collection == table }
            let subject = "read \(schema).\(table)"
            if !seenSchemas.contains(schema) {
                seenSchemas.insert(schema)
                let usage = try connection.execute(
                    "SELECT has_schema_privilege($1, 'USAGE') FROM pg_catalog.pg_namespace WHERE nspname = $1", [schema],
                    operation: "checking USAGE on schema \(schema)")
                if usage.rows == 0 {
                    lines.append(.init("PostgreSQL", "schema \(schema)", .fail, "schema \(schema) does not exist"))
                    continue
                }
                if usage.text(row: 0, column: 0) != "t" {
                    lines.append(
                        .init(
                            "PostgreSQL", "schema \(schema)", .fail,
                            "role \(role) may not use schema \(schema): GRANT USAGE ON SCHEMA \(connection.identifier(schema)) TO "
                                + "\(connection.identifier(role)); (or GRANT pg_read_all_data TO \(connection.identifier(role));)"))
                    continue
                }
            }
            let relation = connection.identifier(schema) + "." + connection.identifier(table)
            let found = try connection.execute(
                """
                SELECT has_table_privilege(c.oid, 'SELECT') FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2
                """, [schema, table], operation: "checking SELECT on \(relation)")
            guard found.rows == 1 else {
                let allowed = checks.allSatisfy(\.allowMissing)
                lines.append(
                    .init(
                        "PostgreSQL", subject, allowed ? .warn : .fail,
                        "table \(schema).\(table) does not exist"
                            + (allowed
                                ? " (allowMissing: recorded as missing)"
                                : "; pre-taste refuses a check that guards nothing: "
                                    + checks.map(\.origin).joined(separator: "; "))))
                continue
            }
            guard found.text(row: 0, column: 0) == "t" else {
                lines.append(
                    .init(
                        "PostgreSQL", subject, .fail,
                        "role \(role) may not read \(relation): GRANT SELECT ON \(relation) TO \(connection.identifier(role)); "
                            + "(or GRANT pg_read_all_data TO \(connection.identifier(role));)"))
                continue
            }
            do {
                _ = try connection.execute("SELECT 1 FROM \(relation) LIMIT 1", operation: "reading \(relation)")
                lines.append(.init("PostgreSQL", subject, .ok, "may read"))
            } catch {
                lines.append(.init("PostgreSQL", subject, .fail, "\(error)"))
                continue
            }
            do {
                if let finding = try primaryKeyFinding(connection, relation: relation, checks: checks) { lines.append(finding) }
            } catch {
                lines.append(.init("PostgreSQL", "keys of \(schema).\(table)", .fail, "\(error)"))
            }
        }
        return lines
    }

    /// A table without a primary key under checks that name rows: a failure (pre-taste refuses
    /// it, `NoPrimaryKeyError`) unless each says `allowNoPrimaryKey: true`, then a warning.
    static func primaryKeyFinding(_ connection: PostgresConnection, relation: String, checks: [CheckDefinition]) throws -> CheckFinding? {
        let naming = checks.filter(\.namesRows)
        guard !naming.isEmpty else { return nil }
        var catalog = PostgresCatalog(connection: connection)
        guard try catalog.primaryKey(of: relation).isEmpty else { return nil }
        let table = "\(naming[0].database).\(naming[0].collection)"
        let refused = naming.filter(\.needsPrimaryKey)
        if refused.isEmpty {
            return .init(
                "PostgreSQL", "keys of \(table)", .warn,
                "\(table) has no primary key (allowNoPrimaryKey: true): its rows cannot be named, and a fingerprint of it is "
                    + "blind to rows trading values; a primary key (a surrogate key will do) names them")
        }
        return .init("PostgreSQL", "keys of \(table)", .fail, NoPrimaryKeyError(checks: refused).description)
    }
}
