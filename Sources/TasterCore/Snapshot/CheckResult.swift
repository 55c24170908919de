/// One measured check in a snapshot: what was measured, where, the exact value, and the rule the
/// comparison applies to it.
public struct CheckResult: Sendable, Equatable, Codable {
    /// Unique within a snapshot; the default per-collection counts are named after the collection.
    public var name: String
    public var kind: CheckKind
    public var database: String
    public var collection: String
    /// Nil when the collection is missing, or when min/max found no documents.
    public var value: CheckValue?
    /// Documents considered, where relevant (fingerprint, sum, min, max, distinct-count).
    public var documents: Int64?
    public var durationSeconds: Double
    /// The collection does not exist: a dropped collection is visible, never a silent 0.
    public var missing: Bool
    public var rule: ComparisonRule
    public var severity: Severity
    /// The check's parameters as configured (filter as extended JSON, field, fields, pipeline,
    /// asOf), for people reading the report.
    public var parameters: [String: String]

    public init(name: String, kind: CheckKind, database: String, collection: String, value: CheckValue?,
                documents: Int64? = nil, durationSeconds: Double, missing: Bool = false,
                rule: ComparisonRule = .equal, severity: Severity = .fail, parameters: [String: String] = [:]) {
        self.name = name
        self.kind = kind
        self.database = database
        self.collection = collection
        self.value = value
        self.documents = documents
        self.durationSeconds = durationSeconds
        self.missing = missing
        self.rule = rule
        self.severity = severity
        self.parameters = parameters
    }
}

/// What the database held at one moment: every check's result, the server's version and the
/// time the snapshot was taken (server time where available).
public struct Snapshot: Sendable, Equatable, Codable {
    public var database: String
    public var serverVersion: String?
    /// RFC 3339, from the server's clock where available.
    public var takenAt: String
    /// Where `takenAt` came from: `server` or `client`.
    public var clock: String
    public var durationSeconds: Double
    public var checks: [CheckResult]

    public init(database: String, serverVersion: String?, takenAt: String, clock: String,
                durationSeconds: Double, checks: [CheckResult]) {
        self.database = database
        self.serverVersion = serverVersion
        self.takenAt = takenAt
        self.clock = clock
        self.durationSeconds = durationSeconds
        self.checks = checks
    }
}
