/// One measured check in a snapshot: what was measured, where, the exact value, and the rule the
/// comparison applies to it.
package struct CheckResult: Sendable, Equatable, Codable {
    /// Unique within a snapshot; the default per-collection counts are named after the collection.
    package var name: String
    package var kind: CheckKind
    package var database: String
    package var collection: String
    /// Nil when the collection is missing, or when min/max found no documents.
    package var value: CheckValue?
    /// Documents considered, where relevant (fingerprint, sum, min, max, distinct-count).
    package var documents: Int64?
    package var durationSeconds: Double
    /// The collection does not exist: a dropped collection is visible, never a silent 0.
    package var missing: Bool
    package var rule: ComparisonRule
    package var severity: Severity
    /// The check allows its collection not to exist (`allowMissing: true`): absent on both sides
    /// passes. Reports write it only when true.
    package var allowMissing: Bool
    /// The measured fields (`field`, or the fingerprint's `fields`) that no document the check
    /// considered holds: the check guards nothing while they are absent (usually a misspelled
    /// field). Empty when the documents have them, or when there were no documents. Reports write
    /// it only when not empty.
    package var absentFields: [String]
    /// The check's parameters as configured (filter as extended JSON, field, fields, pipeline,
    /// asOf), for people reading the report.
    package var parameters: [String: String]
    /// The check's document index (fingerprint checks, and counts with `evidence: documents`),
    /// or why it has none; nil for checks that keep no index and in reports of schema version 1.
    package var index: DocumentIndexRecord?
    /// A count of a collection `TASTER_COLLECTIONS=*` found (`CheckDefinition.discovered`).
    /// Reports write it only when true.
    package var discovered = false

    package init(
        name: String, kind: CheckKind, database: String, collection: String, value: CheckValue?,
        documents: Int64? = nil, durationSeconds: Double, missing: Bool = false,
        rule: ComparisonRule = .equal, severity: Severity = .fail, allowMissing: Bool = false,
        absentFields: [String] = [], parameters: [String: String] = [:]
    ) {
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
        self.allowMissing = allowMissing
        self.absentFields = absentFields
        self.parameters = parameters
    }

    enum CodingKeys: String, CodingKey {
        case name, kind, database, collection, value, documents, durationSeconds, missing, rule, severity,
            allowMissing, absentFields, parameters, index, discovered
    }

    // Reports written before `allowMissing` and `absentFields` existed stay readable: both are
    // optional in JSON and written only when they say something.
    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        kind = try container.decode(CheckKind.self, forKey: .kind)
        database = try container.decode(String.self, forKey: .database)
        collection = try container.decode(String.self, forKey: .collection)
        value = try container.decodeIfPresent(CheckValue.self, forKey: .value)
        documents = try container.decodeIfPresent(Int64.self, forKey: .documents)
        durationSeconds = try container.decode(Double.self, forKey: .durationSeconds)
        missing = try container.decode(Bool.self, forKey: .missing)
        rule = try container.decode(ComparisonRule.self, forKey: .rule)
        severity = try container.decode(Severity.self, forKey: .severity)
        allowMissing = try container.decodeIfPresent(Bool.self, forKey: .allowMissing) ?? false
        absentFields = try container.decodeIfPresent([String].self, forKey: .absentFields) ?? []
        parameters = try container.decode([String: String].self, forKey: .parameters)
        index = try container.decodeIfPresent(DocumentIndexRecord.self, forKey: .index)
        discovered = try container.decodeIfPresent(Bool.self, forKey: .discovered) ?? false
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(kind, forKey: .kind)
        try container.encode(database, forKey: .database)
        try container.encode(collection, forKey: .collection)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeIfPresent(documents, forKey: .documents)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(missing, forKey: .missing)
        try container.encode(rule, forKey: .rule)
        try container.encode(severity, forKey: .severity)
        if allowMissing { try container.encode(true, forKey: .allowMissing) }
        if !absentFields.isEmpty { try container.encode(absentFields, forKey: .absentFields) }
        try container.encode(parameters, forKey: .parameters)
        try container.encodeIfPresent(index, forKey: .index)
        if discovered { try container.encode(true, forKey: .discovered) }
    }

    /// Why the check guards nothing, for logs, reports and the verdict; nil when it guards
    /// something.
    package var absentFieldsWarning: String? {
        guard !absentFields.isEmpty else { return nil }
        let fields = absentFields.count == 1 ? "field \(absentFields[0]) is" : "fields \(absentFields.joined(separator: ", ")) are"
        return "\(fields) absent from every document of \(database).\(collection) the check considered: "
            + "it guards nothing — check the spelling of `\(kind == .fingerprint ? "fields" : "field"):`"
    }
}
