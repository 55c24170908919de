import FoundationEssentials
import TasterSupport

/// The checks file (`TASTER_CHECKS`): named checks beyond the default counts, in YAML or JSON.
///
/// ```yaml
/// checks:
///   - name: paid-orders
///     kind: count
///     collection: orders
///     filter: {status: paid}
///     rule: no-decrease
/// ```
///
/// Every problem is a `ChecksFileError` (exit 2) naming the file and the check; nothing is sent to
/// MongoDB before the whole file is valid. README's "Checks file" section documents the format.
package enum ChecksFile {
    /// Reads and validates the file at `path`.
    package static func load(path: String, defaultDatabase: String, dialect: any CheckDialect) throws(ChecksFileError) -> [CheckDefinition] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ChecksFileError(file: path, message: "cannot be read as UTF-8 text (\(error)); check TASTER_CHECKS")
        }
        return try parse(text, file: path, defaultDatabase: defaultDatabase, dialect: dialect)
    }

    /// Validates checks-file `text`; `file` names it in errors.
    package static func parse(
        _ text: String, file: String, defaultDatabase: String,
        dialect: any CheckDialect
    ) throws(ChecksFileError) -> [CheckDefinition] {
        let top = try topLevel(text, file: file)
        guard let list = top["checks"] else {
            if top["structure"] != nil { return [] }
            throw ChecksFileError(file: file, message: "has no `checks:` list, e.g.\n" + example)
        }
        guard case .sequence(let entries, _) = list else {
            throw ChecksFileError(file: file, line: list.line, message: "`checks:` must be a list of checks (each starting with `- name:`)")
        }
        var checks: [CheckDefinition] = []
        for (index, entry) in entries.enumerated() {
            var reader = EntryReader(node: entry, index: index + 1, file: file, dialect: dialect)
            let check = try reader.check(defaultDatabase: defaultDatabase)
            if let first = checks.firstIndex(where: { $0.name == check.name }) {
                throw reader.error("the name \"\(check.name)\" is already used by check #\(first + 1); names must be unique")
            }
            checks.append(check)
        }
        return checks
    }

    /// The file's top-level mapping: `checks:` and `structure:`, nothing else.
    static func topLevel(_ text: String, file: String) throws(ChecksFileError) -> YAMLNode.Mapping {
        let root: YAMLNode?
        do {
            root = try YAMLParser.compose(text)
        } catch {
            throw syntaxError(error, text: text, file: file)
        }
        guard let root, case .mapping(let top) = root else {
            throw ChecksFileError(file: file, message: "must be a mapping with a `checks:` list, e.g.\n" + example)
        }
        for key in top.keys where key.string != "checks" && key.string != "structure" {
            throw ChecksFileError(
                file: file, line: key.line,
                message: "unknown top-level key `\(key.string ?? "?")`; the file holds `checks:` and `structure:`")
        }
        return top
    }

    package static let example = """
          checks:
            - name: paid-orders
              kind: count
              collection: orders
              filter: {status: paid}
        """

    /// A YAML syntax error, with its line and the check it is in (the last `name:` above it).
    static func syntaxError(_ error: YAMLError, text: String, file: String) -> ChecksFileError {
        let problem = error.message
        let line = error.line
        var check: String?
        if let line {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).prefix(line)
            for candidate in lines.reversed() {
                var trimmed = candidate.drop(while: { $0 == " " || $0 == "-" })
                guard trimmed.hasPrefix("name:") else { continue }
                trimmed = trimmed.dropFirst("name:".count)
                let name = String(trimmed).trimmingSpaces().trimmingCharacters("\"").trimmingCharacters("'")
                if !name.isEmpty { check = "\"\(name)\"" }
                break
            }
        }
        return ChecksFileError(file: file, check: check, line: line, message: "is not valid YAML or JSON: \(problem)")
    }
}

/// Reads one `- name: ...` entry, naming it in every error.
private struct EntryReader {
    let node: YAMLNode
    let index: Int
    let file: String
    let dialect: any CheckDialect
    var name: String?

    init(node: YAMLNode, index: Int, file: String, dialect: any CheckDialect) {
        self.node = node
        self.index = index
        self.file = file
        self.dialect = dialect
    }

    var label: String { name.map { "\"\($0)\" (#\(index))" } ?? "#\(index)" }

    func error(_ message: String, at line: Int? = nil) -> ChecksFileError {
        ChecksFileError(file: file, check: label, line: line ?? node.line, message: message)
    }

    static let commonKeys: Set<String> = [
        "name", "kind", "collection", "database", "rule", "tolerance", "severity", "asOf", "asOfField",
        "allowMissing",
    ]
    static let kindKeys: [CheckKind: Set<String>] = [
        .count: ["filter", "evidence"],
        .estimatedCount: [],
        .sum: ["field", "filter"],
        .min: ["field", "filter"],
        .max: ["field", "filter"],
        .distinctCount: ["field", "filter"],
        .aggregate: ["pipeline", "field"],
        .fingerprint: ["fields", "filter", "evidence"],
    ]
    /// SQL's spelling (PostgreSQL): tables, columns and `where:` conditions.
    static let sqlCommonKeys: Set<String> = [
        "name", "kind", "table", "rule", "tolerance", "severity", "asOf", "asOfColumn", "allowMissing",
    ]
    static let sqlKindKeys: [CheckKind: Set<String>] = [
        .count: ["where", "evidence", "allowNoPrimaryKey"],
        .estimatedCount: [],
        .sum: ["column", "where"],
        .min: ["column", "where"],
        .max: ["column", "where"],
        .distinctCount: ["column", "where"],
        .query: ["query"],
        .fingerprint: ["columns", "where", "evidence", "allowNoPrimaryKey"],
    ]

    mutating func check(defaultDatabase: String) throws(ChecksFileError) -> CheckDefinition {
        guard case .mapping(let mapping) = node else {
            throw error("must be a mapping (name, kind, collection, ...)")
        }
        name = try string("name", in: mapping)
        guard let name else { throw error("has no `name:`; every check needs a unique name") }
        guard let kindText = try string("kind", in: mapping) else {
            throw error("has no `kind:`; use one of \(kindList)")
        }
        guard let kind = CheckKind(rawValue: kindText) else {
            throw error("`kind: \(kindText)` is unknown; use one of \(kindList)", at: mapping["kind"]?.line)
        }
        if dialect.language == .sql { return try sqlCheck(kind: kind, mapping: mapping, name: name, defaultSchema: defaultDatabase) }
        guard kind != .query else {
            throw error("`kind: query` is SQL (PostgreSQL); with MongoDB use kind: aggregate", at: mapping["kind"]?.line)
        }
        let allowed = Self.commonKeys.union(Self.kindKeys[kind] ?? [])
        for key in mapping.keys {
            guard let text = key.string, allowed.contains(text) else {
                let keys = allowed.sorted().joined(separator: ", ")
                throw error("`\(key.string ?? "?")` is not a setting of a \(kind.rawValue) check; it takes \(keys)", at: key.line)
            }
        }
        guard let collection = try string("collection", in: mapping) else {
            throw error("has no `collection:`; say which collection the check measures")
        }
        guard NameRules.isValidCollectionName(collection) else {
            throw error("`collection: \(collection)` is not a valid collection name")
        }
        let database = try string("database", in: mapping) ?? defaultDatabase
        guard NameRules.isValidDatabaseName(database) else {
            throw error("`database: \(database)` is not a valid database name")
        }

        var check = CheckDefinition(
            name: name, kind: kind, database: database, collection: collection,
            origin: "checks file \(file), check \(label)")
        check.rule = try rule(in: mapping)
        if let severity = try string("severity", in: mapping) {
            guard let value = Severity(rawValue: severity) else {
                throw error("`severity: \(severity)` is unknown; use fail or warn", at: mapping["severity"]?.line)
            }
            check.severity = value
        }
        check.allowMissing = try boolean("allowMissing", in: mapping) ?? false
        check.asOf = try asOf(in: mapping, kind: kind)
        if let filterNode = mapping["filter"] {
            check.filter = try document(filterNode, what: "filter")
        }
        switch kind {
        case .sum, .min, .max, .distinctCount:
            check.field = try requiredField("field", in: mapping, hint: "the field to measure, e.g. `field: total`")
        case .aggregate:
            check.field = try requiredField("field", in: mapping, hint: "the field of the pipeline's result document that holds the number, e.g. `field: n`")
            guard let pipelineNode = mapping["pipeline"] else {
                throw error("has no `pipeline:`; give the aggregation stages, e.g. `pipeline: [{$match: {status: paid}}, {$count: n}]`")
            }
            check.pipeline = try pipeline(pipelineNode)
        case .fingerprint:
            check.fields = try fields(in: mapping)
        case .count, .estimatedCount, .query:
            break
        }
        check.indexesDocuments = try evidence(in: mapping, kind: kind)
        return check
    }

    /// The kinds of the file's engine.
    var kindList: String {
        let kinds = dialect.language == .sql ? CheckKind.allCases.filter { $0 != .aggregate } : CheckKind.allCases.filter { $0 != .query }
        return kinds.map(\.rawValue).joined(separator: ", ")
    }

    // MARK: SQL

    /// A check in SQL's spelling: `table:` (`orders` or `schema.orders`), `where:`, `column:`,
    /// `columns:`, `query:`, `asOfColumn:`. The schema becomes the check's `database`, the table
    /// its `collection`.
    mutating func sqlCheck(kind: CheckKind, mapping: YAMLNode.Mapping, name: String, defaultSchema: String) throws(ChecksFileError) -> CheckDefinition {
        guard kind != .aggregate else {
            throw error("`kind: aggregate` is MongoDB's; with PostgreSQL use kind: query with a SELECT", at: mapping["kind"]?.line)
        }
        let allowed = Self.sqlCommonKeys.union(Self.sqlKindKeys[kind] ?? [])
        for key in mapping.keys {
            guard let text = key.string, allowed.contains(text) else {
                let keys = allowed.sorted().joined(separator: ", ")
                let hint =
                    [
                        "collection": " (PostgreSQL: `table:`)", "filter": " (PostgreSQL: `where:`)", "field": " (PostgreSQL: `column:`)",
                        "fields": " (PostgreSQL: `columns:`)", "asOfField": " (PostgreSQL: `asOfColumn:`)",
                    ][key.string ?? ""] ?? ""
                throw error("`\(key.string ?? "?")` is not a setting of a \(kind.rawValue) check\(hint); it takes \(keys)", at: key.line)
            }
        }
        var schema = defaultSchema
        var table: String
        if kind == .query {
            table = ""
        } else {
            guard let written = try string("table", in: mapping) else {
                throw error("has no `table:`; say which table the check measures (`orders` or `sales.orders`)")
            }
            guard let parts = Self.tableParts(written) else {
                throw error("`table: \(written)` is not a table name (`orders` or `schema.orders`)", at: mapping["table"]?.line)
            }
            (schema, table) = (parts.schema ?? defaultSchema, parts.table)
        }
        var check = CheckDefinition(
            name: name, kind: kind, database: schema, collection: table, origin: "checks file \(file), check \(label)")
        check.rule = try rule(in: mapping)
        if let severity = try string("severity", in: mapping) {
            guard let value = Severity(rawValue: severity) else {
                throw error("`severity: \(severity)` is unknown; use fail or warn", at: mapping["severity"]?.line)
            }
            check.severity = value
        }
        check.allowMissing = try boolean("allowMissing", in: mapping) ?? false
        if kind == .query && check.allowMissing {
            throw error("`allowMissing:` names no table in a query check", at: mapping["allowMissing"]?.line)
        }
        let column = try string("asOfColumn", in: mapping)
        if let text = try string("asOf", in: mapping) {
            guard text == "baseline" else {
                throw error("`asOf: \(text)` is unknown; the only cut is `asOf: baseline`", at: mapping["asOf"]?.line)
            }
            guard kind != .estimatedCount, kind != .query else {
                throw error(
                    kind == .query
                        ? "a query check cannot be cut by taster; write the cut into its SELECT"
                        : "an estimated-count reads table statistics and cannot be cut at a time; use kind: count with asOf",
                    at: mapping["asOf"]?.line)
            }
            guard let column else {
                throw error("`asOf: baseline` needs `asOfColumn:`, the timestamp column that says when a row was made (SQL rows have no ObjectId time)")
            }
            check.asOf = AsOf(field: column)
        } else if column != nil {
            throw error("`asOfColumn:` needs `asOf: baseline`", at: mapping["asOfColumn"]?.line)
        }
        if let condition = try string("where", in: mapping) {
            do {
                check.filter = try dialect.condition(condition)
            } catch {
                throw self.error("`where:` \(error.detail)", at: mapping["where"]?.line)
            }
        }
        switch kind {
        case .sum, .min, .max, .distinctCount:
            guard let column = try string("column", in: mapping) else { throw error("has no `column:`; give the column to measure, e.g. `column: total`") }
            check.field = column
        case .fingerprint:
            check.fields = try columns(in: mapping)
        case .query:
            guard let text = try string("query", in: mapping) else {
                throw error("has no `query:`; give a SELECT that returns one number, e.g. `query: SELECT count(*) FROM orders WHERE status = 'paid'`")
            }
            do {
                check.query = try dialect.query(text)
            } catch {
                throw self.error("`query:` \(error.detail)", at: mapping["query"]?.line)
            }
        case .count, .estimatedCount, .aggregate:
            break
        }
        // Rows are named by their primary key (a fingerprint's always, a count's on request).
        check.indexesDocuments = try evidence(in: mapping, kind: kind)
        check.allowNoPrimaryKey = try boolean("allowNoPrimaryKey", in: mapping) ?? false
        if check.allowNoPrimaryKey && !check.namesRows {
            throw error(
                "`allowNoPrimaryKey:` only matters to a check that names rows by primary key: a fingerprint, or a count "
                    + "with `evidence: documents`; remove it", at: mapping["allowNoPrimaryKey"]?.line)
        }
        return check
    }

    /// `orders` or `schema.orders` (names as the database spells them; taster quotes them).
    static func tableParts(_ text: String) -> (schema: String?, table: String)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.allSatisfy({ !$0.isEmpty && !$0.contains("\0") }) else { return nil }
        switch parts.count {
        case 1: return (nil, parts[0])
        case 2: return (parts[0], parts[1])
        default: return nil
        }
    }

    func columns(in mapping: YAMLNode.Mapping) throws(ChecksFileError) -> [String] {
        var columns: [String] = []
        for (column, line) in try names("columns", in: mapping, of: "column names") {
            if columns.contains(column) { throw error("`columns:` names \(column) twice", at: line) }
            columns.append(column)
        }
        return columns
    }

    /// The non-empty list of names under `key` (`fields:` of MongoDB, `columns:` of SQL), each
    /// with its line, for a fingerprint.
    func names(_ key: String, in mapping: YAMLNode.Mapping, of plural: String) throws(ChecksFileError) -> [(name: String, line: Int)] {
        guard let node = mapping[key] else {
            throw error("has no `\(key):`; list the \(key) whose changes the fingerprint must catch, e.g. `\(key): [status, total]`")
        }
        guard case .sequence(let sequence, _) = node, !sequence.isEmpty else {
            throw error("`\(key):` must be a non-empty list of \(plural), e.g. `\(key): [status, total]`", at: node.line)
        }
        var names: [(name: String, line: Int)] = []
        for element in sequence {
            guard case .scalar(let scalar) = element, !scalar.value.isEmpty else {
                throw error("`\(key):` must hold \(plural), not lists or mappings", at: element.line)
            }
            names.append((scalar.value, element.line))
        }
        return names
    }

    func string(_ key: String, in mapping: YAMLNode.Mapping) throws(ChecksFileError) -> String? {
        guard let value = mapping[key] else { return nil }
        guard case .scalar(let scalar) = value else {
            throw error("`\(key):` must be a single value, not a list or mapping", at: value.line)
        }
        let text = scalar.value.trimmingSpaces()
        guard !text.isEmpty else { throw error("`\(key):` is empty", at: value.line) }
        return text
    }

    /// A YAML 1.2 boolean: plain `true` or `false`.
    func boolean(_ key: String, in mapping: YAMLNode.Mapping) throws(ChecksFileError) -> Bool? {
        guard let value = mapping[key] else { return nil }
        guard case .scalar(let scalar) = value, case .bool(let flag) = YAMLCoreSchema.resolve(scalar) else {
            throw error("`\(key):` must be true or false", at: value.line)
        }
        return flag
    }

    func requiredField(_ key: String, in mapping: YAMLNode.Mapping, hint: String) throws(ChecksFileError) -> String {
        guard let field = try string(key, in: mapping) else { throw error("has no `\(key):`; give \(hint)") }
        try validate(fieldPath: field, key: key, line: mapping[key]?.line)
        return field
    }

    func validate(fieldPath: String, key: String, line: Int?) throws(ChecksFileError) {
        let parts = fieldPath.split(separator: ".", omittingEmptySubsequences: false)
        if fieldPath.hasPrefix("$") || parts.contains(where: \.isEmpty) {
            throw error("`\(key): \(fieldPath)` is not a field path (names separated by dots, not starting with $)", at: line)
        }
    }

    func rule(in mapping: YAMLNode.Mapping) throws(ChecksFileError) -> ComparisonRule {
        let ruleText = try string("rule", in: mapping)
        let tolerance = try string("tolerance", in: mapping)
        do {
            return try ComparisonRule(rule: ruleText ?? "equal", tolerance: tolerance)
        } catch {
            throw self.error(error.message, at: (mapping["rule"] ?? mapping["tolerance"])?.line)
        }
    }

    func asOf(in mapping: YAMLNode.Mapping, kind: CheckKind) throws(ChecksFileError) -> AsOf? {
        let field = try string("asOfField", in: mapping)
        guard let text = try string("asOf", in: mapping) else {
            if field != nil { throw error("`asOfField:` needs `asOf: baseline`", at: mapping["asOfField"]?.line) }
            return nil
        }
        guard text == "baseline" else {
            throw error("`asOf: \(text)` is unknown; the only cut is `asOf: baseline`", at: mapping["asOf"]?.line)
        }
        guard kind != .estimatedCount else {
            throw error("an estimated-count reads collection metadata and cannot be cut at a time; use kind: count with asOf", at: mapping["asOf"]?.line)
        }
        if let field { try validate(fieldPath: field, key: "asOfField", line: mapping["asOfField"]?.line) }
        return AsOf(field: field ?? "_id")
    }

    /// `evidence: documents` (a count keeps a document index; a fingerprint always does) or
    /// `evidence: none` (a fingerprint keeps none).
    func evidence(in mapping: YAMLNode.Mapping, kind: CheckKind) throws(ChecksFileError) -> Bool {
        guard let text = try string("evidence", in: mapping) else { return kind == .fingerprint }
        switch text {
        case "documents": return true
        case "none": return false
        default:
            throw error(
                "`evidence: \(text)` is unknown; use `evidence: documents` (name the documents that changed) or `evidence: none`", at: mapping["evidence"]?.line
            )
        }
    }

    func fields(in mapping: YAMLNode.Mapping) throws(ChecksFileError) -> [String] {
        var fields: [String] = []
        for (field, line) in try names("fields", in: mapping, of: "field paths") {
            try validate(fieldPath: field, key: "fields", line: line)
            if field == "_id" { throw error("`fields:` need not name `_id`: every fingerprint includes it", at: line) }
            // MongoDB refuses a projection with a path and its parent (`a` and `a.b`).
            if let clash = fields.first(where: { $0 == field || field.hasPrefix($0 + ".") || $0.hasPrefix(field + ".") }) {
                throw error("`fields:` names \(clash) and \(field), which overlap; keep one", at: line)
            }
            fields.append(field)
        }
        return fields
    }

    /// A filter: a YAML mapping or a string of extended JSON, returned as canonical extended JSON.
    func document(_ node: YAMLNode, what: String) throws(ChecksFileError) -> String {
        let text: String
        if case .scalar(let scalar) = node {
            text = scalar.value.trimmingSpaces()
            guard text.hasPrefix("{") else {
                throw error("`\(what):` must be a mapping or extended JSON text of a document, e.g. {status: paid}", at: node.line)
            }
        } else {
            guard case .mapping = node else {
                throw error("`\(what):` must be a mapping, e.g. {status: paid}", at: node.line)
            }
            text = try json(node)
        }
        do {
            return try dialect.canonicalDocument(text)
        } catch {
            throw self.error("`\(what):` is not valid extended JSON: \(error.detail)", at: node.line)
        }
    }

    /// A pipeline: a YAML list of stages or a string of extended JSON (an array); each stage is
    /// returned as canonical extended JSON. Stages that write (`$out`, `$merge`) are refused.
    func pipeline(_ node: YAMLNode) throws(ChecksFileError) -> [String] {
        let text: String
        if case .scalar(let scalar) = node {
            text = scalar.value.trimmingSpaces()
        } else {
            guard case .sequence = node else {
                throw error("`pipeline:` must be a list of stages, e.g. [{$match: {status: paid}}, {$count: n}]", at: node.line)
            }
            text = try json(node)
        }
        let parsed: [PipelineStage]?
        do {
            parsed = try dialect.pipelineStages(text)
        } catch {
            throw self.error("`pipeline:` is not valid extended JSON: \(error.detail)", at: node.line)
        }
        guard let stages = parsed else {
            throw error("`pipeline:` must be a list of stages (documents)", at: node.line)
        }
        guard !stages.isEmpty else { throw error("`pipeline:` is empty", at: node.line) }
        for stage in stages {
            let keys = stage.keys
            guard keys.count == 1, let name = keys.first, name.hasPrefix("$") else {
                throw error("every pipeline stage is a mapping with one key naming the stage, e.g. {$match: ...}; got \(stage.relaxedJSON)", at: node.line)
            }
            if name == "$out" || name == "$merge" {
                throw error("`\(name)` writes to the database; taster only reads", at: node.line)
            }
        }
        return stages.map(\.canonicalJSON)
    }

    func json(_ node: YAMLNode) throws(ChecksFileError) -> String {
        do {
            return try ExtendedJSONText.json(node)
        } catch {
            throw self.error(error.message, at: error.line)
        }
    }
}
