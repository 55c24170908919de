/// `verdict.json`: the comparison of a run's post snapshot with its baseline, check by check.
public struct Verdict: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 1

    public enum Result: String, Sendable, Codable {
        /// Every check passed its rule (warnings allowed).
        case pass
        /// At least one check with severity `fail` broke its rule.
        case fail
    }

    public var schemaVersion: Int
    public var runID: String
    public var app: String
    public var namespace: String?
    public var tool: TasteReport.Tool
    public var createdAt: String
    public var result: Result
    /// `--report-only`: the result is reported, the exit code stays 0.
    public var reportOnly: Bool
    public var preKey: String?
    public var postKey: String?
    public var preTakenAt: String
    public var postTakenAt: String
    public var checks: [CheckComparison]
    /// How the verdict was made when that differs from the reports: e.g. `taster compare` applying
    /// a checks file's rules instead of the recorded ones. Nil (not written) when there is nothing.
    public var notes: [String]?
    /// One line for people, the pod's termination message and notifications.
    public var summary: String

    enum CodingKeys: String, CodingKey {
        case schemaVersion, runID = "runId", app, namespace, tool, createdAt, result, reportOnly, preKey, postKey,
             preTakenAt, postTakenAt, checks, notes, summary
    }

    public init(runID: String, app: String, namespace: String?, createdAt: String, result: Result, reportOnly: Bool,
                preKey: String?, postKey: String?, preTakenAt: String, postTakenAt: String,
                checks: [CheckComparison], notes: [String]? = nil, summary: String) {
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
        self.notes = notes
        self.summary = summary
    }

    public var failedChecks: [CheckComparison] { checks.filter { $0.result == .fail } }
    public var warnedChecks: [CheckComparison] { checks.filter { $0.result == .warn } }
    /// Checks that guard nothing: no document held a field they measure.
    public var hollowChecks: [CheckComparison] { checks.filter { $0.warning != nil } }
}

/// One check compared: both values, the difference, the rule and what came of it.
public struct CheckComparison: Sendable, Equatable, Codable {
    public enum Result: String, Sendable, Codable {
        case pass
        case fail
        /// The rule broke but the check's severity is `warn`.
        case warn
    }

    public var name: String
    public var kind: CheckKind
    public var collection: String
    public var pre: CheckValue?
    public var post: CheckValue?
    /// post − pre, exact, as a decimal string; nil when either side is not a number.
    public var delta: String?
    public var rule: ComparisonRule
    public var severity: Severity
    public var result: Result
    /// Why it failed or warned, for people: "3 documents fewer, rule equal".
    public var reason: String?
    /// Why the check guards nothing whatever its result (a measured field no document holds);
    /// nil (not written) when it guards something.
    public var warning: String?

    public init(name: String, kind: CheckKind, collection: String, pre: CheckValue?, post: CheckValue?, delta: String?,
                rule: ComparisonRule, severity: Severity, result: Result, reason: String?, warning: String? = nil) {
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
    }
}
