/// How the documents behind a check read in the table, the summary and the page.
extension CheckEvidence {
    /// `3 lost, 1 modified (total)`: the counts, and the fields the modified documents changed
    /// (of the first named). Nil when nothing changed.
    package var resultText: String? {
        guard var text = counts else { return nil }
        let fields = (modified?.first ?? []).flatMap { $0.fields ?? [] }
        var seen = Set<String>()
        let unique = fields.filter { seen.insert($0).inserted }
        if !unique.isEmpty { text += " (\(unique.joined(separator: ", ")))" }
        return text
    }

    /// `lost {"$oid":"…"}, {"$oid":"…"}, …; modified {"$oid":"…"} (total)`: the first `limit`
    /// named documents, by category, for the summary line.
    package func firstIDs(limit: Int) -> String? {
        var remaining = limit
        var parts: [String] = []
        for (name, documents) in [("lost", lost), ("added", added), ("modified", modified)] {
            guard let documents, documents.count > 0, remaining > 0 else { continue }
            let shown = documents.first.prefix(remaining)
            remaining -= shown.count
            let more = documents.count > Int64(shown.count) ? ", …" : ""
            parts.append("\(name) " + shown.map(\.description).joined(separator: ", ") + more)
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
