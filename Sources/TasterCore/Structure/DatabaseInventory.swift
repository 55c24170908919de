/// What a database is made of at one moment: every collection and view (system collections
/// aside) with its options, estimated document count and indexes. Taken with every snapshot, with
/// no configuration, so a migration that drops or empties a collection nobody listed, or changes
/// an index, shows in the verdict (`StructureComparator`).
///
/// Option and index values are kept as relaxed extended JSON text, exactly as the server answered
/// them (key order included: `{a: 1, b: 1}` is another index than `{b: 1, a: 1}`).
package struct DatabaseInventory: Sendable, Equatable, Codable {
    package var database: String
    /// Every collection and view, by name; nil when the server refused to list them (the
    /// structure is then unknown, never "unchanged").
    package var collections: [CollectionInventory]?
    /// What the server refused or failed to answer, in words (`listIndexes on pxbbq.orders:
    /// not authorized ...`); nil (not written) when it answered everything.
    package var problems: [String]?
    package var durationSeconds: Double
    /// The structure rules this report's sync is judged with (the checks file's `structure:`
    /// section); nil (not written) for the defaults. The post report's rules judge a comparison.
    package var rules: StructurePolicy?

    package init(
        database: String, collections: [CollectionInventory]?, problems: [String] = [], durationSeconds: Double,
        rules: StructurePolicy? = nil
    ) {
        self.database = database
        self.collections = collections
        self.problems = problems.isEmpty ? nil : problems
        self.durationSeconds = durationSeconds
        self.rules = rules
    }

    /// The rules to judge with: the recorded ones, or the defaults.
    package var policy: StructurePolicy { rules ?? StructurePolicy() }

    /// Indexes counted over every collection whose indexes are known.
    package var indexCount: Int { (collections ?? []).reduce(0) { $0 + ($1.indexes?.count ?? 0) } }
}

/// One collection, view or time-series collection of the inventory — or, for PostgreSQL, one
/// table or view (`schema.table`), with its columns and constraints.
package struct CollectionInventory: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable {
        case collection
        case view
        case timeseries
        /// A PostgreSQL table (plain, partitioned or foreign).
        case table
    }

    package var name: String
    package var type: Kind
    /// `listCollections`' `options`, option by option as relaxed extended JSON (`validator`,
    /// `validationLevel`, `capped`, `size`, `max`, `collation`, `timeseries`, `clusteredIndex`,
    /// `expireAfterSeconds`, a view's `viewOn` and `pipeline`, ...).
    package var options: [String: String]
    /// The count from the collection's metadata; nil for a view, or when the server refused it.
    package var estimatedCount: Int64?
    /// Every index's full spec; nil when `listIndexes` was refused (unknown, never "none"), empty
    /// for a view.
    package var indexes: [IndexSpec]?
    /// What the server refused for this collection; nil (not written) when nothing.
    package var problems: [String]?
    /// A table's or view's columns, in table order (PostgreSQL); nil (not written) for MongoDB.
    package var columns: [ColumnSpec]?
    /// A table's constraints (PostgreSQL: primary key, unique, foreign key, check, exclusion);
    /// nil (not written) for MongoDB.
    package var constraints: [ConstraintSpec]?

    package init(
        name: String, type: Kind, options: [String: String] = [:], estimatedCount: Int64?, indexes: [IndexSpec]?,
        problems: [String] = [], columns: [ColumnSpec]? = nil, constraints: [ConstraintSpec]? = nil
    ) {
        self.name = name
        self.type = type
        self.options = options
        self.estimatedCount = estimatedCount
        self.indexes = indexes
        self.problems = problems.isEmpty ? nil : problems
        self.columns = columns
        self.constraints = constraints
    }
}

/// One index as `listIndexes` describes it: its name and every other field of its spec (`key`,
/// `unique`, `sparse`, `partialFilterExpression`, `expireAfterSeconds`, `collation`, `hidden`,
/// `wildcardProjection`, text and 2dsphere options...), each as relaxed extended JSON.
package struct IndexSpec: Sendable, Equatable, Codable {
    package var name: String
    package var spec: [String: String]

    package init(name: String, spec: [String: String]) {
        self.name = name
        self.spec = spec
    }

    /// The spec in one line, for people: `{key: { "email" : 1 }, unique: true}`.
    package var summary: String {
        let keys = spec.keys.sorted { first, second in
            let order = [
                "key", "definition", "unique", "primary", "predicate", "sparse", "expireAfterSeconds", "partialFilterExpression", "collation", "hidden",
            ]
            let a = order.firstIndex(of: first) ?? order.count, b = order.firstIndex(of: second) ?? order.count
            return a == b ? first < second : a < b
        }
        return "{" + keys.map { "\($0): \(spec[$0]!)" }.joined(separator: ", ") + "}"
    }
}
