import Crypto
import FoundationEssentials
import TasterCore
import TasterSupport

/// Measures one check in SQL inside the snapshot's transaction, and turns the answer into an
/// exact `CheckValue`: `bigint` as int64, `numeric` as its decimal text, floating point as a
/// double. Names are quoted by libpq (`PQescapeIdentifier`); the cut of `asOf: baseline` is a
/// parameter, never spliced into the text.
struct PostgresCheckRunner {
    let connection: PostgresConnection
    var catalog: PostgresCatalog
    let cut: AsOfCut
    let deadline: Deadline
    let cancellation: CancellationFlag
    /// Set when the check keeps a document index (`CheckDefinition.indexesDocuments`).
    var evidence: EvidencePolicy? = nil

    struct Measurement {
        var value: CheckValue?
        /// Rows considered (the table's rows matching `where:` and the cut).
        var rows: Int64?
        /// The check's document index, when it keeps one.
        var index: DocumentIndexOutcome?
    }

    /// The fingerprint reads this many rows per `FETCH`.
    static let fingerprintBatchSize = 20_000

    mutating func measure(_ check: CheckDefinition) throws -> Measurement {
        let operation = "\(check.kind.rawValue) of \(check.database).\(check.collection) (\(check.origin))"
        if check.kind == .query { return try query(check, operation: "query (\(check.origin))") }
        let relation = connection.identifier(check.database) + "." + connection.identifier(check.collection)
        let (condition, parameters) = try whereClause(check, relation: relation)
        switch check.kind {
        case .count:
            let result = try connection.execute("SELECT count(*) FROM \(relation)\(condition)", parameters, operation: operation)
            let rows = try int64(result, column: 0, check: check)
            var measurement = Measurement(value: .int64(rows), rows: rows)
            if let evidence {
                measurement.index = try index(
                    check, policy: evidence, relation: relation, condition: condition, parameters: parameters,
                    operation: operation + ", its document index")
            }
            return measurement
        case .estimatedCount:
            let result = try connection.execute(
                "SELECT reltuples::int8 FROM pg_catalog.pg_class WHERE oid = $1::regclass", [relation], operation: operation)
            let estimate = try int64(result, column: 0, check: check)
            guard estimate >= 0 else {
                throw measurementError(
                    check,
                    "PostgreSQL has no estimate for \(relation) yet (never vacuumed or analyzed); run ANALYZE \(relation), "
                        + "or use kind: count")
            }
            return Measurement(value: .int64(estimate))
        case .sum, .min, .max, .distinctCount:
            let column = try columnType(check.field ?? "", of: relation, check: check)
            let name = connection.identifier(column.name)
            let aggregate =
                switch check.kind {
                case .sum: "sum(\(name))"
                case .min: "min(\(name))"
                case .max: "max(\(name))"
                default: "count(DISTINCT \(name))"
                }
            let result = try connection.execute(
                "SELECT (\(aggregate))::text, count(*) FROM \(relation)\(condition)", parameters, operation: operation)
            let rows = try int64(result, column: 1, check: check)
            let text = result.text(row: 0, column: 0)
            switch check.kind {
            case .distinctCount:
                return Measurement(value: .int64(Int64(text ?? "0") ?? 0), rows: rows)
            case .sum:
                guard let value = try number(text ?? "0", type: column.type, column: column.name, check: check) else {
                    throw measurementError(check, "column \(column.name) is not a number; sum needs integer, numeric or floating-point values")
                }
                return Measurement(value: value, rows: rows)
            default:
                guard let text else { return Measurement(value: nil, rows: rows) }
                return Measurement(value: try number(text, type: column.type, column: column.name, check: check) ?? .text(text), rows: rows)
            }
        case .fingerprint:
            return try fingerprint(check, relation: relation, condition: condition, parameters: parameters, operation: operation)
        case .aggregate, .query:
            throw measurementError(check, "kind \(check.kind.rawValue) is not measured on a table")
        }
    }

    // MARK: Conditions

    /// ` WHERE (condition) AND cut <= $1`, and its parameters.
    mutating func whereClause(_ check: CheckDefinition, relation: String) throws -> (String, [String?]) {
        var parts: [String] = []
        var parameters: [String?] = []
        // On lines of their own: a `--` comment at the end of the condition ends there.
        if let filter = check.filter { parts.append("(\n\(filter)\n)") }
        if let asOf = check.asOf {
            let column = try columnType(asOf.field, of: relation, check: check)
            guard TypeID.times.contains(column.type) else {
                throw measurementError(
                    check, "asOfColumn \(column.name) is not a date or timestamp column; name the column that records when a row was made")
            }
            parameters.append(Timestamp.rfc3339(Date(timeIntervalSince1970: Double(cut.milliseconds) / 1000)))
            parts.append("\(connection.identifier(column.name)) <= $\(parameters.count)::timestamptz")
        }
        return (parts.isEmpty ? "" : " WHERE " + parts.joined(separator: " AND "), parameters)
    }

    /// The column and its type; a column the table does not have is an error naming the ones it has.
    mutating func columnType(_ name: String, of relation: String, check: CheckDefinition) throws -> (name: String, type: UInt32) {
        let columns = try catalog.columns(of: relation)
        guard let found = columns.first(where: { $0.name == name }) else {
            throw measurementError(
                check, "\(relation) has no column \(name); its columns are \(columns.map(\.name).joined(separator: ", "))")
        }
        return found
    }

    // MARK: Values

    func int64(_ result: PostgresResult, column: Int, check: CheckDefinition) throws -> Int64 {
        guard result.rows == 1, let text = result.text(row: 0, column: column), let value = Int64(text) else {
            throw measurementError(check, "PostgreSQL answered without a count")
        }
        return value
    }

    /// A number read exactly by its type: integers as int64 (a `bigint` sum beyond 64 bits stays
    /// exact as a decimal), `numeric` as its text, floating point as a double; nil for other types.
    func number(_ text: String, type: UInt32, column: String, check: CheckDefinition) throws -> CheckValue? {
        switch type {
        case TypeID.int2, TypeID.int4, TypeID.int8:
            return Int64(text).map(CheckValue.int64) ?? .decimal(text)
        case TypeID.numeric:
            return .decimal(text)
        case TypeID.float4, TypeID.float8:
            guard let value = Double(text), value.isFinite else {
                throw measurementError(check, "column \(column) holds \(text), which is not a finite number")
            }
            return .double(value)
        default:
            return nil
        }
    }

    // MARK: Query

    /// A read-only SELECT that returns one row of one number.
    func query(_ check: CheckDefinition, operation: String) throws -> Measurement {
        let result = try connection.execute(check.query ?? "", operation: operation)
        guard result.rows == 1, result.columns == 1 else {
            throw measurementError(
                check, "the query returned \(result.rows) rows of \(result.columns) columns; it must return one row with one number")
        }
        guard let text = result.text(row: 0, column: 0) else {
            throw measurementError(check, "the query returned NULL, which measures nothing; wrap it in coalesce(..., 0) if none is zero")
        }
        let type = result.type(ofColumn: 0)
        guard let value = try number(text, type: type, column: result.name(ofColumn: 0), check: check) else {
            throw measurementError(check, "the query's column \(result.name(ofColumn: 0)) is not a number (its value is not shown: it is the table's data)")
        }
        return Measurement(value: value)
    }

    // MARK: Fingerprint

    /// An order-independent, type-aware digest of the chosen columns of every row, each row known
    /// by its primary key: see `RowDigest`. Reads the rows through a cursor of the transaction,
    /// `fingerprintBatchSize` at a time; when the check keeps a document index, in the order of
    /// the key (`PrimaryKey`), writing the index on the way. A table without a primary key (which
    /// the baseline refuses unless the check says `allowNoPrimaryKey: true`) is fingerprinted over
    /// the multiset of its columns, and keeps no index: its rows have no name.
    mutating func fingerprint(
        _ check: CheckDefinition, relation: String, condition: String, parameters: [String?], operation: String
    ) throws -> Measurement {
        let key = try catalog.primaryKey(of: relation)
        var columns: [String] = []
        for name in check.fields { columns.append(try columnType(name, of: relation, check: check).name) }
        let indexer = evidence.map { RowIndexer(columns: columns, policy: $0) }
        if key.isEmpty { indexer?.skip(Self.noPrimaryKey(relation, check)) }
        let identity = indexer == nil || key.isEmpty ? [] : key.selected(connection.identifier)
        let selected = (key.columns.map(\.name) + columns).map(connection.identifier) + identity
        let order = identity.isEmpty ? "" : " ORDER BY " + key.ordering(connection.identifier)
        var sum = DigestSum()
        try forEachBatch(
            "SELECT \(selected.joined(separator: ", ")) FROM \(relation)\(condition)\(order)", parameters, check: check,
            operation: operation
        ) { batch in
            for row in 0..<batch.rows {
                let digest = RowDigest(
                    result: batch, row: row, keyColumns: key.columns.count, valueColumns: columns.count,
                    digester: identity.isEmpty ? nil : indexer?.digester)
                sum.add(digest.digest)
                if !identity.isEmpty {
                    indexer?.add(key.identity(of: batch, row: row, first: key.columns.count + columns.count), digests: digest.fieldDigests)
                }
            }
        }
        return Measurement(value: .digest(sum.hex), rows: sum.count, index: indexer?.finish())
    }

    /// A count's document index (`evidence: documents`): the primary keys of the rows it counts,
    /// in key order.
    mutating func index(
        _ check: CheckDefinition, policy: EvidencePolicy, relation: String, condition: String, parameters: [String?],
        operation: String
    ) throws -> DocumentIndexOutcome {
        let key = try catalog.primaryKey(of: relation)
        let indexer = RowIndexer(columns: [], policy: policy)
        guard !key.isEmpty else {
            indexer.skip(Self.noPrimaryKey(relation, check))
            return indexer.finish()
        }
        let selected = key.selected(connection.identifier).joined(separator: ", ")
        try forEachBatch(
            "SELECT \(selected) FROM \(relation)\(condition) ORDER BY \(key.ordering(connection.identifier))", parameters,
            check: check, operation: operation
        ) { batch in
            for row in 0..<batch.rows { indexer.add(key.identity(of: batch, row: row, first: 0), digests: []) }
        }
        return indexer.finish()
    }

    /// Why a check on a table without a primary key keeps no index: with `allowNoPrimaryKey`,
    /// accepted when the baseline was taken; without it, the key went after the baseline (which
    /// refuses such a check), or `taster snapshot` measures it.
    static func noPrimaryKey(_ relation: String, _ check: CheckDefinition) -> String {
        (check.allowNoPrimaryKey
            ? "\(relation) has no primary key (allowNoPrimaryKey: true), so its rows cannot be named"
            : "\(relation) has no primary key now, so its rows cannot be named")
            + ": the check is judged by its value alone, and a fingerprint digests the multiset of its columns, "
            + "blind to rows trading values; give the table a primary key (a surrogate key will do) to name rows"
    }

    /// Runs `select` through a cursor of the transaction and hands `body` each batch of
    /// `fingerprintBatchSize` rows, checking cancellation and the deadline between batches.
    func forEachBatch(
        _ select: String, _ parameters: [String?], check: CheckDefinition, operation: String, _ body: (PostgresResult) throws -> Void
    ) throws {
        let cursor = "taster_rows"
        _ = try connection.execute("DECLARE \(cursor) NO SCROLL CURSOR FOR \(select)", parameters, operation: operation)
        while true {
            let batch = try connection.execute("FETCH FORWARD \(Self.fingerprintBatchSize) FROM \(cursor)", operation: operation)
            if batch.rows == 0 { break }
            try body(batch)
            if cancellation.isCancelled { throw CancellationError() }
            try deadline.check("the snapshot (check \"\(check.name)\")")
        }
        _ = try connection.execute("CLOSE \(cursor)", operation: operation)
    }

    func measurementError(_ check: CheckDefinition, _ message: String) -> CheckMeasurementError {
        CheckMeasurementError(check: check, message: message)
    }
}
