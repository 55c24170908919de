/// The page's "Structure" section: each difference between the inventories, with the spec
/// before and after side by side.
extension VerdictPage {
    static let structureStyle = """
        col.structure-what { width: 28%; } col.structure-spec { width: 27%; } col.structure-result { width: 9%; }
        td pre { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; font-size: .75rem; }
        tr.row-unknown td { background: #eceff1; } .unknown { background: #607d8b; }
        """

    func structureSection() -> String {
        guard let structure = verdict.structure else { return "" }
        let e = HTML.escape
        var html = "<h2 id=\"structure-title\">Structure</h2>\n"
        guard !structure.isEmpty else {
            return html + "<p class=\"muted\" id=\"structure\">No collection, view or index was dropped, created or changed.</p>\n"
        }
        html += "<table id=\"structure\">\n"
        html += "<colgroup><col class=\"structure-what\"/><col class=\"structure-spec\"/><col class=\"structure-spec\"/>"
        html += "<col class=\"structure-result\"/><col class=\"structure-result\"/></colgroup>\n"
        html += "<thead><tr><th>Change</th><th>Before</th><th>After</th><th>Severity</th><th>Result</th></tr></thead>\n<tbody>\n"
        for row in structure {
            let rowClass = row.result == .pass ? "" : " class=\"row-\(row.result.rawValue)\""
            html += "<tr data-structure=\"\(e(row.subject))\"\(rowClass)>"
            html += "<td>\(e(row.description))</td>"
            html += "<td class=\"before\">" + (row.before.map { "<pre>\(e($0))</pre>" } ?? "<span class=\"muted\">—</span>") + "</td>"
            html += "<td class=\"after\">" + (row.after.map { "<pre>\(e($0))</pre>" } ?? "<span class=\"muted\">—</span>") + "</td>"
            html += "<td>\(e(row.severity?.rawValue ?? "—"))</td>"
            html += "<td><span class=\"badge \(row.result.rawValue)\">\(row.result.rawValue.uppercased())</span></td>"
            html += "</tr>\n"
        }
        html += "</tbody>\n</table>\n"
        html +=
            "<p class=\"muted\">Structure: every collection, view and index of the database, compared with the baseline's by the structure rules (README, \"Structure\"). "
        html += "<code>unknown</code>: the server would not describe it on one side, or the baseline has no inventory; never a pass.</p>\n"
        return html
    }
}
