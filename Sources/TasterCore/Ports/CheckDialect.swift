/// How the database engine writes what a check reads: the checks file's filters and pipelines
/// are validated and made canonical through it, before anything is touched. Implemented by the
/// MongoDB adapter (extended JSON through libbson) and the PostgreSQL adapter (SQL).
package protocol CheckDialect: Sendable {
    /// Which checks-file keys the engine reads: MongoDB's (`collection`, `filter`, `pipeline`,
    /// `asOfField`) or SQL's (`table`, `where`, `query`, `asOfColumn`).
    var language: CheckLanguage { get }
    /// SQL: a `where:` condition as it will run, or why it cannot (more than one statement).
    func condition(_ sql: String) throws(CheckDialectError) -> String
    /// SQL: a `query:` as it will run, or why it cannot (not a single SELECT).
    func query(_ sql: String) throws(CheckDialectError) -> String
    /// A filter document written as extended JSON, in canonical extended JSON.
    func canonicalDocument(_ json: String) throws(CheckDialectError) -> String
    /// A pipeline written as an extended JSON array: its stages in order; nil when the text is
    /// valid but not a list of documents.
    func pipelineStages(_ json: String) throws(CheckDialectError) -> [PipelineStage]?
    /// Canonical extended JSON as people read it in a report (relaxed).
    func display(_ canonical: String) -> String
}

/// The two spellings of the checks file.
package enum CheckLanguage: String, Sendable {
    /// MongoDB: collections, filters and pipelines in extended JSON.
    case mongo
    /// PostgreSQL: tables, `where:` conditions and `query:` SELECTs.
    case sql
}

extension CheckDialect {
    package var language: CheckLanguage { .mongo }
    package func condition(_ sql: String) throws(CheckDialectError) -> String {
        throw CheckDialectError(detail: "conditions are SQL; this engine reads `filter:`")
    }
    package func query(_ sql: String) throws(CheckDialectError) -> String {
        throw CheckDialectError(detail: "queries are SQL; this engine reads `pipeline:`")
    }
}

/// One stage of an aggregation pipeline.
package struct PipelineStage: Sendable, Equatable {
    /// Its keys (a stage has exactly one, naming it: `$match`).
    package var keys: [String]
    package var canonicalJSON: String
    package var relaxedJSON: String

    package init(keys: [String], canonicalJSON: String, relaxedJSON: String) {
        self.keys = keys
        self.canonicalJSON = canonicalJSON
        self.relaxedJSON = relaxedJSON
    }
}

/// What the dialect found wrong, as a person reads it.
package struct CheckDialectError: Error, Sendable {
    package let detail: String
    package init(detail: String) { self.detail = detail }
}
