import FoundationEssentials

/// `taster compare` with a checks file (`--checks`, `TASTER_CHECKS`): judges two reports by the
/// file's rules, severities and `allowMissing` instead of the ones recorded in them, e.g. to try
/// a new rule on an old sync. Only the judgement changes: the values are the measured ones, and a
/// file whose check of a name measures something else than the reports' check of that name
/// belongs to other reports (exit 2).
struct ChecksFileRules {
    let file: String
    let checks: [CheckDefinition]
    let dialect: any CheckDialect

    /// What applying the file changed, for the log and the verdict's notes.
    struct Applied: Sendable, Equatable {
        /// `revenue: rule equal → no-decrease`, one per changed setting.
        var changes: [String] = []
        /// Checks of the file that neither report has (nothing to apply them to).
        var unused: [String] = []
        /// Checks of the reports that the file does not name (they keep their recorded rules).
        var unnamed: [String] = []

        /// The verdict's notes.
        func notes(file: String) -> [String] {
            var notes = [
                "rules from checks file \(file): "
                    + (changes.isEmpty ? "the same as recorded in the reports" : changes.joined(separator: "; "))
            ]
            if !unnamed.isEmpty {
                notes.append("checks the file does not name keep the rules recorded in the reports: " + unnamed.joined(separator: ", "))
            }
            if !unused.isEmpty {
                notes.append("checks of the file that neither report has (not applied): " + unused.joined(separator: ", "))
            }
            return notes
        }
    }

    /// Sets each reported check's rule, severity and `allowMissing` to the file's check of the
    /// same name, on both sides (the comparison takes them from the post side).
    func apply(pre: inout Snapshot, post: inout Snapshot) throws(ChecksFileError) -> Applied {
        var applied = Applied()
        let byName = Dictionary(checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var names = post.checks.map(\.name)
        names += pre.checks.map(\.name).filter { !names.contains($0) }
        for check in checks where !names.contains(check.name) { applied.unused.append(check.name) }
        for name in names {
            guard let definition = byName[name] else {
                applied.unnamed.append(name)
                continue
            }
            let recorded = post.checks.first { $0.name == name } ?? pre.checks.first { $0.name == name }
            if let recorded {
                var configured = recorded
                configured.kind = definition.kind
                configured.database = definition.database
                configured.collection = definition.collection
                configured.parameters = definition.parameters(cut: AsOfCut(time: .init(timeIntervalSince1970: 0)), dialect: dialect)
                if let change = Comparator.measurementChange(pre: recorded, post: configured, reference: "in the reports") {
                    throw ChecksFileError(
                        file: file, check: "\"\(name)\"",
                        message: "measures \(change), so its rule is not for "
                            + "these reports; compare with the checks file they were taken with")
                }
                let wording = "\(name): "
                if recorded.rule != definition.rule { applied.changes.append(wording + "rule \(recorded.rule.name) → \(definition.rule.name)") }
                if recorded.severity != definition.severity {
                    applied.changes.append(wording + "severity \(recorded.severity.rawValue) → \(definition.severity.rawValue)")
                }
                if recorded.allowMissing != definition.allowMissing {
                    applied.changes.append(wording + "allowMissing \(recorded.allowMissing) → \(definition.allowMissing)")
                }
            }
            for index in pre.checks.indices where pre.checks[index].name == name { judge(&pre.checks[index], by: definition) }
            for index in post.checks.indices where post.checks[index].name == name { judge(&post.checks[index], by: definition) }
        }
        return applied
    }

    private func judge(_ result: inout CheckResult, by definition: CheckDefinition) {
        result.rule = definition.rule
        result.severity = definition.severity
        result.allowMissing = definition.allowMissing
    }
}
