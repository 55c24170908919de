/// One configured check: what to measure, where, and how the comparison judges it. Made from
/// `TASTER_COLLECTIONS` (a `count` per collection) and the checks file; measured by `Snapshotter`.
package struct CheckDefinition: Sendable, Equatable {
    /// Unique within a snapshot.
    package var name: String
    package var kind: CheckKind
    package var database: String
    package var collection: String
    /// The filter, in the engine's dialect: canonical extended JSON for MongoDB, an SQL condition
    /// (`where:`) for PostgreSQL; nil means every document or row.
    package var filter: String?
    /// `sum`, `min`, `max`, `distinct-count`: the field measured; `aggregate`: the field of the
    /// pipeline's result document that holds the number.
    package var field: String?
    /// `fingerprint`: the fields digested besides `_id`, in order.
    package var fields: [String]
    /// `aggregate`: the stages, each as canonical extended JSON.
    package var pipeline: [String]
    /// `query`: the SQL SELECT whose one row's one column is the number.
    package var query: String?
    /// Only documents not newer than the baseline count (`asOf: baseline`).
    package var asOf: AsOf?
    package var rule: ComparisonRule
    package var severity: Severity
    /// The collection may legitimately not exist (`allowMissing: true`). Without it, pre-taste
    /// refuses a check whose collection does not exist: a misspelled collection would otherwise be
    /// "missing on both sides" and pass forever.
    package var allowMissing: Bool
    /// The check keeps a document index, so a verdict can name the documents lost, added and
    /// modified: every fingerprint (unless `evidence: none`), a count with `evidence: documents`.
    package var indexesDocuments: Bool
    /// PostgreSQL: the check may read a table or view without a primary key
    /// (`allowNoPrimaryKey: true`). Without it, a check that names rows (`namesRows`) on such a
    /// table is refused when the baseline is taken: its fingerprint would be over the multiset of
    /// the chosen columns, blind to two rows trading values, and its rows could not be named.
    package var allowNoPrimaryKey = false
    /// Where the check was configured, for messages: `TASTER_COLLECTIONS` or
    /// `checks file /etc/taster/checks.yaml, check "revenue" (#3)`.
    package var origin: String
    /// A count of a collection `TASTER_COLLECTIONS=*` found: a collection created or dropped by
    /// the sync is judged by the structure rules, not as a check that appeared or vanished.
    package var discovered = false

    package init(
        name: String, kind: CheckKind, database: String, collection: String, filter: String? = nil,
        field: String? = nil, fields: [String] = [], pipeline: [String] = [], query: String? = nil, asOf: AsOf? = nil,
        rule: ComparisonRule = .equal, severity: Severity = .fail, allowMissing: Bool = false, origin: String
    ) {
        self.name = name
        self.kind = kind
        self.database = database
        self.collection = collection
        self.filter = filter
        self.field = field
        self.fields = fields
        self.pipeline = pipeline
        self.query = query
        self.asOf = asOf
        self.rule = rule
        self.severity = severity
        self.allowMissing = allowMissing
        self.origin = origin
        indexesDocuments = kind == .fingerprint
    }

    /// The check knows rows by their identity (`_id`, a primary key): every fingerprint (its
    /// digest includes each row's identity), and a count that keeps a document index.
    package var namesRows: Bool { kind == .fingerprint || (kind == .count && indexesDocuments) }

    /// PostgreSQL: a table without a primary key refuses this check (`NoPrimaryKeyError`): it
    /// names rows and does not say `allowNoPrimaryKey: true`.
    package var needsPrimaryKey: Bool { namesRows && !allowNoPrimaryKey }

    /// The default exact count of a collection named in `TASTER_COLLECTIONS`.
    package static func defaultCount(of collection: String, database: String) -> CheckDefinition {
        CheckDefinition(name: collection, kind: .count, database: database, collection: collection, origin: "TASTER_COLLECTIONS")
    }
}

/// `asOf: baseline`: a check only considers documents created at or before a cut time — the
/// baseline snapshot's time — so writes after pre-taste do not fail a sync.
package struct AsOf: Sendable, Equatable {
    /// `_id` (the ObjectId's creation time, 1-second resolution) or a date field; in SQL, the
    /// timestamp column named by `asOfColumn`.
    package var field: String

    package init(field: String = "_id") { self.field = field }

    package var usesObjectID: Bool { field == "_id" }
}
