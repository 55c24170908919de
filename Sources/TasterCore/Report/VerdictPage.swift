import FoundationEssentials

/// `verdict.html`: one self-contained page (inline CSS and SVG; no scripts, fonts or anything
/// from the network) showing the overall result, the comparison table — each check's values,
/// its change next to the baseline, its rule, severity and result, and its history over earlier
/// runs of the same app — and links to the reports. Every value taken from data or settings is
/// escaped; the markup is also well-formed XML.
///
/// The table has a fixed layout over the page's width and every cell wraps, so it fits any
/// window from 1024 px up whatever the names and values (tested in headless Chromium at 1024 and
/// 1440 px by `testenv/tests/test_verdict_page.py`).
package struct VerdictPage: Sendable {
    package let verdict: Verdict
    package let history: VerdictHistory
    /// The reports, shown as text when there are no links (`compare --html`: files or URIs).
    package let preURI: String?
    package let postURI: String?
    /// The run's `verdict.json`, linked next to the other two reports.
    package let verdictKey: String?
    /// How report keys become links; nil shows them as text.
    package let links: ReportLinks?

    package init(
        verdict: Verdict, history: VerdictHistory = VerdictHistory(), preURI: String? = nil, postURI: String? = nil,
        verdictKey: String? = nil, links: ReportLinks? = nil
    ) {
        self.verdict = verdict
        self.history = history
        self.preURI = preURI
        self.postURI = postURI
        self.verdictKey = verdictKey
        self.links = links
    }

    static let style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2rem; color: #212121; overflow-wrap: anywhere; }
        h1 { margin: 0 0 .5rem; }
        .result { display: inline-block; padding: .3rem .9rem; border-radius: .3rem; color: #fff; font-weight: 700; font-size: 1.4rem; }
        .pass { background: #2e7d32; } .fail { background: #c62828; } .warn { background: #ef6c00; }
        table { border-collapse: collapse; margin-top: 1rem; width: 100%; table-layout: fixed; font-size: .92rem; }
        col.check { width: 20%; } col.value { width: 10%; } col.change { width: 12%; } col.rule { width: 11%; }
        col.severity { width: 9%; } col.outcome { width: 15%; } col.history { width: 13%; }
        th, td { border-bottom: 1px solid #e0e0e0; padding: .45rem .5rem; text-align: left; vertical-align: top; }
        th { background: #f5f5f5; font-size: .85rem; vertical-align: bottom; position: sticky; top: 0; z-index: 1; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        .what { font-size: .8rem; margin-top: .15rem; }
        td.text { font-size: .75rem; } td code { font-size: .8rem; padding: 0; background: none; }
        .badge { display: inline-block; padding: 0 .35rem; border-radius: .2rem; color: #fff; font-size: .75rem; font-weight: 700; }
        .reason { display: block; margin-top: .15rem; }
        .shift { display: flex; justify-content: flex-end; align-items: center; gap: .25rem; font-size: .75rem; color: #546e7a; }
        .shift svg { flex: 0 1 48px; min-width: 12px; } .shift span { flex: none; white-space: nowrap; }
        svg { max-width: 100%; height: auto; display: block; }
        .muted { color: #757575; } .summary { margin: 1rem 0; font-size: 1.05rem; }
        tr.row-fail td { background: #ffebee; } tr.row-warn td { background: #fff3e0; }
        code { background: #f5f5f5; padding: 0 .2rem; }
        h2 { margin-top: 1.5rem; font-size: 1.2rem; } h3 { margin: 1rem 0 .3rem; font-size: 1rem; }
        table.documents { margin-top: .3rem; } table.documents col.change { width: 12%; } table.documents col.id { width: 58%; }
        tr.doc-lost td:first-child { color: #c62828; font-weight: 600; } tr.doc-added td:first-child { color: #2e7d32; font-weight: 600; }
        tr.doc-modified td:first-child { color: #ef6c00; font-weight: 600; }
        ol.runs { list-style: none; padding: 0; margin: .3rem 0 0; display: flex; flex-wrap: wrap; gap: .2rem .9rem; }
        @media (max-width: 1200px) { body { margin: 1.25rem; } }
        """

    package func render() -> String {
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
            \(Self.style)
            \(Self.structureStyle)
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
        html += "<table id=\"comparison\">\n"
        html += "<colgroup><col class=\"check\"/><col class=\"value\"/><col class=\"value\"/><col class=\"change\"/><col class=\"rule\"/>"
        html += "<col class=\"severity\"/><col class=\"outcome\"/><col class=\"history\"/></colgroup>\n"
        html += "<thead><tr><th>Check</th><th class=\"num\">Pre</th><th class=\"num\">Post</th><th class=\"num\">Change</th><th>Rule</th>"
        html += "<th>Severity</th><th>Result</th><th>Last runs</th></tr></thead>\n<tbody>\n"
        for check in verdict.checks {
            html += row(check)
        }
        html += "</tbody>\n</table>\n"
        html +=
            "<p class=\"muted\">Change: the exact difference, and how large it is next to the baseline; the bar grows a step per tenfold (0.01 %, 0.1 %, 1 %, 10 %, 100 %). "
        html +=
            "Severity <code>fail</code> fails the sync when the rule breaks, <code>warn</code> only reports. Last runs: this check in the earlier runs and this one, coloured by its result.</p>\n"
        html += evidenceSection()
        html += structureSection()
        html += earlierRuns()
        html += reports()
        html += "<p class=\"muted\">Written by taster \(e(verdict.tool.version)) at \(e(verdict.createdAt)).</p>\n"
        html += "</body>\n</html>\n"
        return html
    }

    private func row(_ check: CheckComparison) -> String {
        let e = HTML.escape
        let rowClass = check.result == .pass ? "" : " class=\"row-\(check.result.rawValue)\""
        var html = "<tr data-check=\"\(e(check.name))\"\(rowClass)>"
        html += "<td class=\"check\"><div class=\"name\">\(e(check.name))</div>"
        html += "<div class=\"what muted\">\(e(check.kind.rawValue)) · \(e(check.collection))</div></td>"
        html += value(check.pre, role: "pre") + value(check.post, role: "post")
        html += "<td class=\"num change\">\(change(check))</td>"
        html += "<td class=\"rule\">\(e(check.rule.name))</td>"
        html += "<td class=\"severity\">\(e(check.severity.rawValue))</td>"
        html += "<td class=\"outcome\"><span class=\"badge \(check.result.rawValue)\">\(check.result.rawValue.uppercased())</span>"
        html += (check.evidence?.resultText ?? check.reason).map { "<span class=\"reason\">\(e($0))</span>" } ?? ""
        html += "</td>"
        html += "<td class=\"history\">\(historyChart(check))</td>"
        return html + "</tr>\n"
    }

    /// A value cell: numbers right-aligned, a fingerprint's first 12 digits with all 64 in its
    /// tooltip, text as it is; every one wraps rather than widening the table.
    private func value(_ value: CheckValue?, role: String) -> String {
        let e = HTML.escape
        guard let value else { return "<td class=\"num \(role)\"><span class=\"muted\">—</span></td>" }
        switch value {
        case .digest(let hex):
            // Two halves that wrap as a pair in a narrow column rather than at any digit.
            let shown = value.description
            let half = shown.index(shown.startIndex, offsetBy: shown.count / 2)
            return "<td class=\"num \(role)\"><code title=\"\(e(hex))\">\(e(String(shown[..<half])))<wbr/>\(e(String(shown[half...])))</code></td>"
        case .text:
            return "<td class=\"text \(role)\">\(e(value.description))</td>"
        case .int64, .double, .decimal:
            return "<td class=\"num \(role)\">\(e(value.description))</td>"
        }
    }

    /// The exact delta, then a bar and the percentage of the baseline; for values that are not
    /// numbers, whether they changed.
    private func change(_ check: CheckComparison) -> String {
        let e = HTML.escape
        guard let pre = check.pre, let post = check.post else { return "<span class=\"muted\">—</span>" }
        guard let before = pre.decimal, let after = post.decimal else {
            return pre == post ? "<span class=\"muted\">unchanged</span>" : "changed"
        }
        let relative = RelativeChange(pre: before, post: after)
        var html = "<div class=\"delta\">\(e(check.delta ?? Comparator.format(delta: relative.delta)))</div>"
        if let bar = SVGChart.change(relative, result: check.result) {
            html += "<div class=\"shift\">\(bar)<span>\(e(relative.label))</span></div>"
        }
        return html
    }

    private func historyChart(_ check: CheckComparison) -> String {
        let earlier: [SVGChart.Point] = history.entries.compactMap { entry in
            entry.checks[check.name].map { mark in
                SVGChart.Point(
                    label: "run \(entry.runID) · \(entry.createdAt): \(mark.value?.description ?? "no value") (\(mark.result.rawValue))",
                    value: mark.value, result: mark.result, href: link(to: entry))
            }
        }
        guard !earlier.isEmpty else {
            let text = history.entries.isEmpty ? "no history yet" : "first run of this check"
            return "<span class=\"muted\">\(text)</span>"
        }
        let current = SVGChart.Point(
            label: "this run \(verdict.runID): \(check.post?.description ?? "no value") (\(check.result.rawValue))",
            value: check.post, result: check.result, href: nil)
        return SVGChart.history(points: earlier + [current])
    }

    private func link(to entry: VerdictHistory.Entry) -> String? {
        guard let links, let key = entry.pageKey ?? entry.verdictKey else { return nil }
        return links.href(for: key)
    }

    /// `History: 3 earlier runs of pxbbq`, each linked (newest first), how many older ones are not
    /// shown, and the runs that could not be read.
    private func earlierRuns() -> String {
        let e = HTML.escape
        let count = history.entries.count
        var html = "<div class=\"muted\" id=\"history\">History: \(count) earlier run\(count == 1 ? "" : "s") of \(e(verdict.app))"
        if history.older > 0 { html += " (and \(history.older) older, not shown)" }
        if count > 0 {
            html += ", newest first:\n<ol class=\"runs\">"
            for entry in history.entries.reversed() {
                let text = "<span class=\"badge \(entry.result.rawValue)\">\(entry.result.rawValue.uppercased())</span> \(e(entry.runID))"
                if let href = link(to: entry) {
                    html += "<li><a href=\"\(e(href))\">\(text)</a></li>"
                } else {
                    html += "<li>\(text)</li>"
                }
            }
            html += "</ol>"
        } else {
            html += "."
        }
        html += "</div>\n"
        if !history.skipped.isEmpty {
            html +=
                "<p class=\"muted\" id=\"skipped\">History skips \(history.skipped.count) run\(history.skipped.count == 1 ? "" : "s") that could not be read: \(e(history.skipped.joined(separator: ", ")))</p>\n"
        }
        return html
    }

    /// The run's reports: linked when there is a link base, with where they are stored as text to
    /// copy (their folder, when they share one).
    private func reports() -> String {
        let e = HTML.escape
        var shown = [preURI ?? verdict.preKey, postURI ?? verdict.postKey].compactMap { $0 }
        if shown.count == 2, let slash = shown[0].lastIndex(of: "/"),
            case let folder = String(shown[0][...slash]), shown[1].hasPrefix(folder), !shown[1].dropFirst(folder.count).contains("/")
        {
            shown = [folder]
        }
        guard let links else {
            return
                "<p class=\"muted\" id=\"reports\">Reports: <code>\(e(preURI ?? verdict.preKey ?? "—"))</code> and <code>\(e(postURI ?? verdict.postKey ?? "—"))</code></p>\n"
        }
        let named: [(String, String?)] = [("pre.json", verdict.preKey), ("post.json", verdict.postKey), ("verdict.json", verdictKey)]
        let anchors = named.compactMap { name, key in
            key.flatMap(links.href).map { "<a href=\"\(e($0))\">\(name)</a>" }
        }
        var html = "<p class=\"muted\" id=\"reports\">Reports: "
        html += anchors.isEmpty ? "" : anchors.joined(separator: " · ") + " — "
        html += (shown.count == 1 ? "in " : "") + shown.map { "<code>\(e($0))</code>" }.joined(separator: " and ")
        return html + "</p>\n"
    }
}
