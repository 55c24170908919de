import FoundationEssentials
import TasterSupport

/// What a report must hold before anything is built on it. Decoding already refuses a report
/// whose JSON, `schemaVersion`, kinds, rules or severities are unreadable; this looks at the
/// values: a baseline whose snapshot time does not parse would silently move the `asOf` cut, a
/// duplicated check name would hide one of them, a count that is not an integer would compare as
/// text, a negative replica count would be restored.
extension TasteReport {
    /// The parts of a report a use depends on.
    package enum Use: Sendable {
        /// post-taste's comparison: everything.
        case verdict
        /// `taster compare`: the checks (the files may be old; their times are not judged).
        case comparison
        /// `taster restore`: who it belongs to and the workloads' replicas.
        case restore
    }

    /// How far a baseline's times may lie ahead of this machine's clock (the snapshot time comes
    /// from MongoDB's clock, which may run a little ahead).
    package static let maxClockSkew: Duration = .seconds(300)

    /// Every field `use` depends on that cannot be trusted, as `field: problem`; empty when the
    /// report is usable.
    package func problems(for use: Use, now: Date = Date()) -> [String] {
        var problems: [String] = []
        if use != .comparison {
            if !NameRules.isSafeIdentifier(runID) {
                problems.append("runId \"\(runID)\" is not a run id (letters, digits, '.', '_', '-')")
            }
            if !(NameRules.isDNSLabel(app) || NameRules.isSafeIdentifier(app)) {
                problems.append("app \"\(app)\" is not an application name")
            }
        }
        if use == .verdict {
            problems += timeProblems(now: now)
        }
        if use != .restore {
            problems += snapshotProblems()
        }
        if use != .comparison {
            problems += workloadProblems()
        }
        return problems
    }

    /// `finishedAt` and the snapshot's `takenAt` (the `asOf: baseline` cut) parse and do not lie
    /// in the future.
    func timeProblems(now: Date) -> [String] {
        var problems: [String] = []
        let latest = now.addingTimeInterval(Self.maxClockSkew.seconds)
        for (field, text) in [("snapshot.takenAt", snapshot.takenAt), ("finishedAt", finishedAt)] {
            guard let time = Timestamp.parse(text) else {
                problems.append("\(field) \"\(text)\" is not an RFC 3339 time")
                continue
            }
            if time > latest {
                problems.append("\(field) \(text) lies in the future (this machine's clock says \(Timestamp.rfc3339(now)))")
            }
        }
        return problems
    }

    /// The checks: named once each, in valid places, each value of its kind's type.
    func snapshotProblems() -> [String] {
        var problems: [String] = []
        if !NameRules.isValidDatabaseName(snapshot.database) {
            problems.append("snapshot.database \"\(snapshot.database)\" is not a database name")
        }
        if snapshot.checks.isEmpty {
            problems.append("snapshot.checks is empty: the baseline measured nothing")
        }
        var names = Set<String>()
        for (index, check) in snapshot.checks.enumerated() {
            let field = "snapshot.checks[\(index)]" + (check.name.isEmpty ? "" : " (\"\(check.name)\")")
            if check.name.trimmingSpaces().isEmpty {
                problems.append("\(field).name is empty")
            } else if !names.insert(check.name).inserted {
                problems.append("\(field).name is used twice: one of the two would not be compared")
            }
            if !NameRules.isValidDatabaseName(check.database) {
                problems.append("\(field).database \"\(check.database)\" is not a database name")
            }
            if check.kind != .query, !NameRules.isValidCollectionName(check.collection) {
                problems.append("\(field).collection \"\(check.collection)\" is not a collection name")
            }
            if let documents = check.documents, documents < 0 {
                problems.append("\(field).documents is negative")
            }
            if let problem = Self.valueProblem(of: check) {
                problems.append("\(field).value \(problem)")
            }
        }
        return problems
    }

    /// What is wrong with a check's value for its kind; nil when nothing is.
    static func valueProblem(of check: CheckResult) -> String? {
        if check.missing {
            return check.value == nil ? nil : "is set although the collection is recorded as missing"
        }
        guard let value = check.value else {
            switch check.kind {
            case .min, .max, .aggregate, .query: return nil // no document, or a pipeline with no result
            default: return "is absent, but a \(check.kind.rawValue) always has one"
            }
        }
        switch (check.kind, value) {
        case (.count, .int64(let count)), (.estimatedCount, .int64(let count)), (.distinctCount, .int64(let count)):
            return count < 0 ? "is negative" : nil
        case (.count, _), (.estimatedCount, _), (.distinctCount, _):
            return "is not a 64-bit integer, which a \(check.kind.rawValue) always is"
        case (.fingerprint, .digest(let hex)):
            return hex.count == 64 && hex.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) ? nil : "is not 64 lowercase hex digits"
        case (.fingerprint, _):
            return "is not a digest, which a fingerprint always is"
        case (.sum, .text), (.sum, .digest), (.aggregate, .text), (.aggregate, .digest), (.query, .text), (.query, .digest):
            return "is not a number"
        case (_, .decimal(let text)):
            return Self.isDecimal128Text(text) ? nil : "\"\(text)\" is not a decimal number"
        case (_, .double(let number)):
            return number.isFinite ? nil : "is not a finite number"
        case (.min, _), (.max, _), (.sum, _), (.aggregate, _), (.query, _):
            return nil
        }
    }

    /// Decimal128 as libbson prints it: a decimal number (maybe with an exponent), `NaN`,
    /// `Infinity` or `-Infinity`.
    static func isDecimal128Text(_ text: String) -> Bool {
        if ["NaN", "-NaN", "Infinity", "-Infinity"].contains(text) { return true }
        guard !text.isEmpty, text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return false }
        return CheckValue.decimal(text).decimal != nil
    }

    /// The workloads' recorded replicas, which a restore scales back to.
    func workloadProblems() -> [String] {
        var problems: [String] = []
        var seen = Set<String>()
        for (index, workload) in workloads.enumerated() {
            let field = "workloads[\(index)]"
            if !WorkloadTarget.isDNSSubdomain(workload.name) {
                problems.append("\(field).name \"\(workload.name)\" is not a Kubernetes object name")
            } else if !seen.insert("\(workload.kind.rawValue)/\(workload.name)").inserted {
                problems.append("\(field) names \(workload.kind.rawValue)/\(workload.name) a second time")
            }
            if !(0...Int(Int32.max)).contains(workload.replicasBefore) {
                problems.append("\(field).replicasBefore \(workload.replicasBefore) is not a replica count")
            }
            if !(0...Int(Int32.max)).contains(workload.target) {
                problems.append("\(field).target \(workload.target) is not a replica count")
            }
        }
        return problems
    }
}
