/// What a verdict says about the documents behind one check (`verdict.json`, `evidence`): how
/// many were lost, added and modified since the baseline, the first `_id`s of each (canonical
/// extended JSON) and where the full list is — or why the documents cannot be named, in which
/// case the check was judged by its value alone.
package struct CheckEvidence: Sendable, Equatable, Codable {
    package var lost: ChangedDocuments?
    package var added: ChangedDocuments?
    package var modified: ChangedDocuments?
    /// The key of `changes/<check>.ndjson`, every change, one JSON object a line.
    package var list: String?
    /// Why the documents cannot be named (no index in the baseline, a damaged index, …).
    package var unavailable: String?
    /// What the lists leave out, and why: modified documents, when the indexes hold `_id`s only
    /// because no evidence key was set.
    package var limited: String?

    package init(
        lost: ChangedDocuments? = nil, added: ChangedDocuments? = nil, modified: ChangedDocuments? = nil,
        list: String? = nil, unavailable: String? = nil, limited: String? = nil
    ) {
        self.lost = lost
        self.added = added
        self.modified = modified
        self.list = list
        self.unavailable = unavailable
        self.limited = limited
    }

    package static func unavailable(_ reason: String) -> CheckEvidence { CheckEvidence(unavailable: reason) }

    /// Whether any document changed.
    package var hasChanges: Bool { (lost?.count ?? 0) + (added?.count ?? 0) + (modified?.count ?? 0) > 0 }

    /// `3 lost, 1 modified (total)`; nil when nothing changed.
    package var counts: String? {
        let parts = [("lost", lost), ("added", added), ("modified", modified)].compactMap { name, documents in
            documents.flatMap { $0.count > 0 ? "\($0.count) \(name)" : nil }
        }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// Every named document with its category, lost first.
    package var named: [(change: String, document: ChangedDocument)] {
        [("lost", lost), ("added", added), ("modified", modified)].flatMap { name, documents in
            (documents?.first ?? []).map { (name, $0) }
        }
    }
}

/// One category of changes: how many, and the first of them.
package struct ChangedDocuments: Sendable, Equatable, Codable {
    package var count: Int64
    package var first: [ChangedDocument]

    package init(count: Int64 = 0, first: [ChangedDocument] = []) {
        self.count = count
        self.first = first
    }
}

/// One document by `_id` (canonical extended JSON), and for a modified one the fields whose
/// digest changed. Never a value.
package struct ChangedDocument: Sendable, Equatable, Codable {
    package var id: String
    package var fields: [String]?

    enum CodingKeys: String, CodingKey { case id = "_id", fields }

    package init(id: String, fields: [String]? = nil) {
        self.id = id
        self.fields = fields
    }

    /// `{"$oid":"…"}` or `{"$oid":"…"} (status, total)`.
    package var description: String {
        id + (fields.map { " (\($0.joined(separator: ", ")))" } ?? "")
    }
}
