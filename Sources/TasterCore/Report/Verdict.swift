/// `verdict.json`: the comparison of a run's post snapshot with its baseline, check by check.
package struct Verdict: Sendable, Equatable, Codable {
    /// 2 added a check's `evidence` and `structure`; version 1 verdicts (the history) are still read.
    package static let currentSchemaVersion = 2
    package static let readableSchemaVersions = 1...currentSchemaVersion

    package enum Result: String, Sendable, Codable {
        /// Every check passed its rule (warnings allowed).
        case pass
        /// At least one check with severity `fail` broke its rule.
        case fail
    }

    package var schemaVersion: Int
    package var runID: String
    package var app: String
    package var namespace: String?
    package var tool: TasteReport.Tool
    package var createdAt: String
    package var result: Result
    /// `--report-only`: the result is reported, the exit code stays 0.
    package var reportOnly: Bool
    package var preKey: String?
    package var postKey: String?
    package var preTakenAt: String
    package var postTakenAt: String
    package var checks: [CheckComparison]
    /// The structure differences between the two inventories, row by row (`StructureComparator`);
    /// nil (not written) when neither report has an inventory.
    package var structure: [StructureComparison]?
    /// How the verdict was made when that differs from the reports: e.g. `taster compare` applying
    /// a checks file's rules instead of the recorded ones. Nil (not written) when there is nothing.
    package var notes: [String]?
    /// One line for people, the pod's termination message and notifications.
    package var summary: String
    /// The database the snapshots came from (`mongodb`, `postgresql`); nil in verdicts made before
    /// it was recorded, which were all MongoDB's. It decides how records are named: documents by
    /// `_id`, or rows by primary key.
    package var engine: Engine?

    package enum Engine: String, Sendable, Codable {
        case mongodb, postgresql
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, runID = "runId", app, namespace, tool, createdAt, result, reportOnly, preKey, postKey,
            preTakenAt, postTakenAt, checks, structure, notes, summary, engine
    }

    package init(
        runID: String, app: String, namespace: String?, createdAt: String, result: Result, reportOnly: Bool,
        preKey: String?, postKey: String?, preTakenAt: String, postTakenAt: String,
        checks: [CheckComparison], structure: [StructureComparison]? = nil, notes: [String]? = nil, summary: String,
        engine: Engine? = nil
    ) {
        schemaVersion = Self.currentSchemaVersion
        self.runID = runID
        self.app = app
        self.namespace = namespace
        tool = TasteReport.Tool()
        self.createdAt = createdAt
        self.result = result
        self.reportOnly = reportOnly
        self.preKey = preKey
        self.postKey = postKey
        self.preTakenAt = preTakenAt
        self.postTakenAt = postTakenAt
        self.checks = checks
        self.structure = structure
        self.notes = notes
        self.summary = summary
        self.engine = engine
    }

    package var failedChecks: [CheckComparison] { checks.filter { $0.result == .fail } }
    /// Checks that guard nothing: no document held a field they measure.
    package var hollowChecks: [CheckComparison] { checks.filter { $0.warning != nil } }
    /// Structure rows worth a look: failed, warned or unknown (added indexes and other `pass`
    /// rows are listed in the table and the page only).
    package var notableStructure: [StructureComparison] { (structure ?? []).filter { $0.result != .pass } }
}

/// One check compared: both values, the difference, the rule and what came of it.
package struct CheckComparison: Sendable, Equatable, Codable {
    package enum Result: String, Sendable, Codable {
        case pass
        case fail
        /// The rule broke but the check's severity is `warn`.
        case warn
    }

    package var name: String
    package var kind: CheckKind
    package var collection: String
    package var pre: CheckValue?
    package var post: CheckValue?
    /// post − pre, exact, as a decimal string; nil when either side is not a number.
    package var delta: String?
    package var rule: ComparisonRule
    package var severity: Severity
    package var result: Result
    /// Why it failed or warned, for people: "3 documents fewer, rule equal".
    package var reason: String?
    /// Why the check guards nothing whatever its result (a measured field no document holds);
    /// nil (not written) when it guards something.
    package var warning: String?
    /// The documents behind the check: what was lost, added and modified, or why they cannot be
    /// named. Nil for checks that keep no index.
    package var evidence: CheckEvidence?

    package init(
        name: String, kind: CheckKind, collection: String, pre: CheckValue?, post: CheckValue?, delta: String?,
        rule: ComparisonRule, severity: Severity, result: Result, reason: String?, warning: String? = nil,
        evidence: CheckEvidence? = nil
    ) {
        self.name = name
        self.kind = kind
        self.collection = collection
        self.pre = pre
        self.post = post
        self.delta = delta
        self.rule = rule
        self.severity = severity
        self.result = result
        self.reason = reason
        self.warning = warning
        self.evidence = evidence
    }
}
