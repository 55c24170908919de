/// How the database engine writes what a check reads: the checks file's filters and pipelines
/// are validated and made canonical through it, before anything is touched. Implemented by the
/// MongoDB adapter (extended JSON through libbson).
package protocol CheckDialect: Sendable {
    /// A filter document written as extended JSON, in canonical extended JSON.
    func canonicalDocument(_ json: String) throws(CheckDialectError) -> String
    /// A pipeline written as an extended JSON array: its stages in order; nil when the text is
    /// valid but not a list of documents.
    func pipelineStages(_ json: String) throws(CheckDialectError) -> [PipelineStage]?
    /// Canonical extended JSON as people read it in a report (relaxed).
    func display(_ canonical: String) -> String
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
