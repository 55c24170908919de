/// The page's section on the documents behind the checks: per check that changed, the first
/// documents lost, added and modified (with the fields that changed) and a link to the full list;
/// per failed check whose documents cannot be named, why.
extension VerdictPage {
    func evidenceSection() -> String {
        let e = HTML.escape
        var html = ""
        for check in verdict.checks {
            guard let evidence = check.evidence else { continue }
            if evidence.hasChanges {
                html += "<section class=\"evidence\" data-check=\"\(e(check.name))\">\n"
                html += "<h3>\(e(check.name)): \(e(evidence.counts ?? ""))</h3>\n"
                html += "<table class=\"documents\"><colgroup><col class=\"change\"/><col class=\"id\"/><col class=\"fields\"/></colgroup>\n"
                html += "<thead><tr><th>Change</th><th>\(verdict.identityHeading)</th><th>\(verdict.fieldsHeading) that changed</th></tr></thead>\n<tbody>\n"
                for (change, document) in evidence.named {
                    html += "<tr class=\"doc-\(change)\"><td>\(change)</td><td><code>\(e(document.id))</code></td>"
                    html += "<td>\(e((document.fields ?? []).joined(separator: ", ")))</td></tr>\n"
                }
                html += "</tbody></table>\n"
                let total = (evidence.lost?.count ?? 0) + (evidence.added?.count ?? 0) + (evidence.modified?.count ?? 0)
                let named = Int64(evidence.named.count)
                var note = named < total ? "The first \(named) of \(total). " : ""
                if let list = evidence.list {
                    let target = links?.href(for: list).map { "<a href=\"\(e($0))\">the full list</a>" } ?? "the full list: <code>\(e(list))</code>"
                    note = e(note) + target + " (one JSON object a line)."
                } else {
                    note = e(note)
                }
                html += "<p class=\"muted\">\(note)</p>\n</section>\n"
            } else if let reason = evidence.unavailable, check.result != .pass {
                html +=
                    "<p class=\"evidence-unavailable\" data-check=\"\(e(check.name))\">\(e(check.name)): \(verdict.records) cannot be named: \(e(reason)).</p>\n"
            }
            if let limited = evidence.limited, check.result != .pass {
                html += "<p class=\"evidence-unavailable\" data-check=\"\(e(check.name))\">\(e(check.name)): \(e(limited)).</p>\n"
            }
        }
        guard !html.isEmpty else { return "" }
        return
            "<h2 id=\"documents\">\(verdict.recordsHeading)</h2>\n<p class=\"muted\">By \(verdict.identityHTML), as canonical extended JSON; values are never stored, only which \(verdict.fields) changed.</p>\n"
            + html
    }
}
