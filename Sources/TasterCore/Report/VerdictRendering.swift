import TasterSupport

extension String {
    /// Padded with spaces to `width` characters.
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

/// How a verdict reads for people: the comparison table and the one-line summary.
extension Verdict {
    /// `CHECK  PRE  POST  DELTA  RULE  RESULT`, numbers right-aligned.
    package var table: String {
        let rows = checks.map { check in
            [
                check.name,
                check.pre.map(\.description) ?? "—",
                check.post.map(\.description) ?? "—",
                check.delta ?? "",
                check.rule.name + (check.severity == .warn ? " (warn)" : ""),
                check.result.rawValue.uppercased() + ((check.evidence?.resultText ?? check.reason).map { ": \($0)" } ?? ""),
            ]
        }
        let table = TextTable(
            header: ["CHECK", "PRE", "POST", "DELTA", "RULE", "RESULT"], rows: rows,
            rightAligned: [1, 2, 3]
        ).render()
        let warnings = checks.compactMap { check in check.warning.map { "\nWARNING: check \"\(check.name)\": \($0)" } }
        return table + documents + structureTable + warnings.joined() + (notes ?? []).map { "\nNOTE: " + $0 }.joined()
    }

    /// Below the table: the documents each check names (the first of each category, the full
    /// list's key), and why a failed check's documents cannot be named.
    var documents: String {
        var lines: [String] = []
        for check in checks {
            guard let evidence = check.evidence else { continue }
            if evidence.hasChanges {
                lines.append("\(check.name): \(evidence.counts ?? "")\(evidence.list.map { " — full list: \($0)" } ?? ""):")
                for (change, document) in evidence.named {
                    lines.append("  \(change.padding(8)) \(document.description)")
                }
                let named = Int64(evidence.named.count)
                let total = (evidence.lost?.count ?? 0) + (evidence.added?.count ?? 0) + (evidence.modified?.count ?? 0)
                if total > named { lines.append("  … \(total - named) more in the full list") }
            } else if let reason = evidence.unavailable, check.result != .pass {
                lines.append("\(check.name): \(records) cannot be named: \(reason)")
            }
            if let limited = evidence.limited, check.result != .pass { lines.append("\(check.name): \(limited)") }
        }
        return lines.isEmpty ? "" : "\n\n" + lines.joined(separator: "\n")
    }

    /// `STRUCTURE  RESULT`, one row per difference between the inventories; empty when there is
    /// no difference (and says so when both sides had an inventory).
    var structureTable: String {
        guard let structure else { return "" }
        guard !structure.isEmpty else { return "\nSTRUCTURE: no collection, view or index changed" }
        let rows = structure.map { row in
            [row.description, row.result.rawValue.uppercased() + (row.severity.map { $0 == .fail ? "" : " (\($0.rawValue))" } ?? "")]
        }
        return "\n\n" + TextTable(header: ["STRUCTURE", "RESULT"], rows: rows, rightAligned: []).render()
    }

    /// The summary line: result, app, run, and what failed.
    package static func summarize(
        result: Result, reportOnly: Bool, app: String, runID: String,
        checks: [CheckComparison], structure: [StructureComparison]? = nil
    ) -> String {
        let failed = checks.filter { $0.result == .fail }
        let warned = checks.filter { $0.result == .warn }
        var line = "taster: \(result.rawValue.uppercased())\(reportOnly ? " (report-only)" : "") \(app) run \(runID): "
        if failed.isEmpty {
            line += "\(checks.count) check\(checks.count == 1 ? "" : "s") passed"
        } else {
            line += "\(failed.count) of \(checks.count) checks failed: "
            line += failed.prefix(3).map { check in
                let named = check.evidence?.firstIDs(limit: 3).map { ": \($0)" } ?? ""
                return "\(check.name) \(check.pre?.description ?? "—") → \(check.post?.description ?? "—") (\(check.rule.name))\(named)"
            }.joined(separator: "; ")
            if failed.count > 3 { line += "; …" }
        }
        if !warned.isEmpty { line += ", \(warned.count) warning\(warned.count == 1 ? "" : "s")" }
        line += summarize(structure: structure ?? [])
        let hollow = checks.filter { $0.warning != nil }
        if !hollow.isEmpty {
            line +=
                "; WARNING: \(hollow.count) check\(hollow.count == 1 ? "" : "s") guard\(hollow.count == 1 ? "s" : "") nothing ("
                + hollow.prefix(3).map(\.name).joined(separator: ", ") + (hollow.count > 3 ? ", …" : "") + ": no document has the field)"
        }
        return line
    }

    /// The summary again, after the checks changed (evidence attached).
    package mutating func summarizeAgain() {
        summary = Self.summarize(result: result, reportOnly: reportOnly, app: app, runID: runID, checks: checks, structure: structure)
    }

    /// The structure part of the summary: `; structure: 2 failed: index orders.email_1 dropped
    /// (unique); …, 1 warning, 1 unknown`.
    static func summarize(structure: [StructureComparison]) -> String {
        let failed = structure.filter { $0.result == .fail }
        let warned = structure.filter { $0.result == .warn }
        let unknown = structure.filter { $0.result == .unknown }
        var parts: [String] = []
        if !failed.isEmpty {
            parts.append(
                "\(failed.count) failed: " + failed.prefix(3).map(\.description).joined(separator: "; ") + (failed.count > 3 ? "; …" : ""))
        }
        if !warned.isEmpty {
            parts.append(
                "\(warned.count) warning\(warned.count == 1 ? "" : "s")"
                    + (failed.isEmpty ? ": " + warned.prefix(3).map(\.description).joined(separator: "; ") + (warned.count > 3 ? "; …" : "") : ""))
        }
        if !unknown.isEmpty {
            parts.append("\(unknown.count) unknown" + (unknown.count == 1 ? ": " + unknown[0].description : ""))
        }
        return parts.isEmpty ? "" : "; structure: " + parts.joined(separator: ", ")
    }

    /// Builds the verdict of a comparison. `structurePolicy` replaces the post report's structure
    /// rules (`taster compare --checks`).
    package static func make(
        pre: TasteReport, post: TasteReport, preKey: String?, postKey: String?,
        reportOnly: Bool, createdAt: String, notes: [String]? = nil, structurePolicy: StructurePolicy? = nil
    ) -> Verdict {
        let structure: [StructureComparison]? =
            pre.inventory == nil && post.inventory == nil
            ? nil : StructureComparator.compare(pre: pre.inventory, post: post.inventory, policy: structurePolicy)
        return make(
            preSnapshot: pre.snapshot, postSnapshot: post.snapshot, runID: post.runID, app: post.app,
            namespace: post.namespace, preKey: preKey, postKey: postKey, reportOnly: reportOnly, createdAt: createdAt,
            notes: notes, structure: structure)
    }

    package static func make(
        preSnapshot: Snapshot, postSnapshot: Snapshot, runID: String, app: String, namespace: String?,
        preKey: String?, postKey: String?, reportOnly: Bool, createdAt: String,
        notes: [String]? = nil, structure: [StructureComparison]? = nil
    ) -> Verdict {
        let checks = Comparator.compare(pre: preSnapshot, post: postSnapshot)
        let failed = checks.contains { $0.result == .fail } || (structure ?? []).contains { $0.result == .fail }
        let result: Result = failed ? .fail : .pass
        return Verdict(
            runID: runID, app: app, namespace: namespace, createdAt: createdAt, result: result,
            reportOnly: reportOnly, preKey: preKey, postKey: postKey, preTakenAt: preSnapshot.takenAt,
            postTakenAt: postSnapshot.takenAt, checks: checks, structure: structure,
            notes: notes.flatMap { $0.isEmpty ? nil : $0 },
            summary: summarize(
                result: result, reportOnly: reportOnly, app: app, runID: runID, checks: checks, structure: structure),
            engine: postSnapshot.language == .sql ? .postgresql : .mongodb)
    }
}
