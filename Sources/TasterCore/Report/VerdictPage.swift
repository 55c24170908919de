import FoundationEssentials

/// `verdict.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or anything
/// from the network) showing the overall result, the comparison table, a bar pair per check and
/// a history chart per check over earlier runs of the same app. Every value taken from data or
/// settings is escaped; the markup is also well-formed XML.
public struct VerdictPage: Sendable {
    public let verdict: Verdict
    public let history: VerdictHistory
    /// Links (or keys) to the reports, shown as text.
    public let preURI: String?
    public let postURI: String?

    public init(verdict: Verdict, history: VerdictHistory = VerdictHistory(), preURI: String? = nil, postURI: String? = nil) {
        self.verdict = verdict
        self.history = history
        self.preURI = preURI
        self.postURI = postURI
    }

    public func render() -> String {
        let e = HTML.escape
        let passed = verdict.result == .pass
        let title = "taster \(verdict.result.rawValue.uppercased()) · \(verdict.app) · run \(verdict.runID)"
        var html = """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(e(title))</title>
        <style>
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #212121; }
        .result { display: inline-block; padding: .3rem .9rem; border-radius: .3rem; color: #fff; font-weight: 700; font-size: 1.4rem; }
        .pass { background: #2e7d32; } .fail { background: #c62828; } .warn { background: #ef6c00; }
        table { border-collapse: collapse; margin-top: 1rem; }
        th, td { border-bottom: 1px solid #e0e0e0; padding: .4rem .7rem; text-align: left; vertical-align: middle; }
        th { background: #f5f5f5; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.outcome { min-width: 11em; } td.rule { white-space: nowrap; }
        .muted { color: #757575; } .summary { margin: 1rem 0; font-size: 1.05rem; }
        tr.row-fail td { background: #ffebee; } tr.row-warn td { background: #fff3e0; }
        code { background: #f5f5f5; padding: 0 .2rem; }
        </style>
        </head>
        <body>
        <h1><span class="result \(passed ? "pass" : "fail")" id="result">\(verdict.result.rawValue.uppercased())</span> \(e(verdict.app))</h1>
        <p class="summary" id="summary">\(e(verdict.summary))</p>
        <p class="muted">Run <code>\(e(verdict.runID))</code>\(verdict.namespace.map { " in namespace <code>\(e($0))</code>" } ?? "") ·
        baseline taken \(e(verdict.preTakenAt)) · compared \(e(verdict.postTakenAt))\(verdict.reportOnly ? " · <strong>report-only</strong> (does not fail the sync)" : "")</p>

        """
        // Checks that guard nothing, and how the verdict was made when not from the reports' rules.
        let remarks = verdict.hollowChecks.map { "Warning: check \"\($0.name)\": \($0.warning ?? "")" } + (verdict.notes ?? []).map { "Note: \($0)" }
        if !remarks.isEmpty {
            html += "<ul id=\"warnings\">" + remarks.map { "<li>\(e($0))</li>" }.joined() + "</ul>\n"
        }
        html += "<table id=\"comparison\">\n<thead><tr><th>Check</th><th>Kind</th><th>Collection</th><th class=\"num\">Pre</th><th class=\"num\">Post</th><th class=\"num\">Delta</th><th>Rule</th><th>Result</th><th>Pre vs post</th><th>Last runs</th></tr></thead>\n<tbody>\n"
        for check in verdict.checks {
            let rowClass = check.result == .pass ? "" : " class=\"row-\(check.result.rawValue)\""
            let result = check.result.rawValue.uppercased() + (check.reason.map { ": \($0)" } ?? "")
            html += "<tr\(rowClass)>"
            html += "<td>\(e(check.name))</td><td>\(e(check.kind.rawValue))</td><td>\(e(check.collection))</td>"
            html += "<td class=\"num\">\(e(check.pre?.description ?? "—"))</td><td class=\"num\">\(e(check.post?.description ?? "—"))</td>"
            html += "<td class=\"num\">\(e(check.delta ?? ""))</td>"
            html += "<td class=\"rule\">\(e(check.rule.name))\(check.severity == .warn ? " <span class=\"muted\">(warn)</span>" : "")</td>"
            html += "<td class=\"outcome\">\(e(result))</td>"
            html += "<td>\(bars(check))</td><td>\(historyChart(check))</td>"
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        if !history.skipped.isEmpty {
            html += "<p class=\"muted\" id=\"skipped\">History skips \(history.skipped.count) run\(history.skipped.count == 1 ? "" : "s") that could not be read: \(e(history.skipped.joined(separator: ", ")))</p>\n"
        }
        html += "<p class=\"muted\">History: \(history.entries.count) earlier run\(history.entries.count == 1 ? "" : "s") of \(e(verdict.app)).</p>\n"
        html += "<p class=\"muted\">Reports: <code>\(e(preURI ?? verdict.preKey ?? "—"))</code> and <code>\(e(postURI ?? verdict.postKey ?? "—"))</code></p>\n"
        html += "<p class=\"muted\">Written by taster \(e(verdict.tool.version)) at \(e(verdict.createdAt)).</p>\n"
        html += "</body>\n</html>\n"
        return html
    }

    private func bars(_ check: CheckComparison) -> String {
        guard let pre = check.pre?.decimal, let post = check.post?.decimal else {
            if check.pre == nil || check.post == nil { return "<span class=\"muted\">—</span>" }
            return "<span class=\"muted\">\(check.pre == check.post ? "unchanged" : "changed")</span>"
        }
        return SVGChart.barPair(pre: pre, post: post, failed: check.result == .fail)
    }

    private func historyChart(_ check: CheckComparison) -> String {
        var points: [(label: String, value: Decimal, failed: Bool)] = history.entries.compactMap { entry in
            entry.values[check.name].map { (label: "run \(entry.runID) (\(entry.createdAt))", value: $0, failed: entry.result == .fail) }
        }
        if let current = check.post?.decimal {
            points.append((label: "this run \(verdict.runID)", value: current, failed: check.result == .fail))
        }
        return SVGChart.history(points: points)
    }
}
