import TasterSupport

/// Compares a baseline's document index with today's, both in the server's `_id` order, in one
/// pass over each (memory holds one record of each and the first `limit` ids of each category):
/// lost (only in the baseline), added (only now), modified (same `_id`, named fields' digests
/// differ). Every change is written to `list` as one JSON line. Indexes of `_id`s only (made
/// without an evidence key) name lost and added documents, and say why modified ones are not.
///
/// It stops with `DocumentIndexError` when `deadline` passes or a signal arrives: naming the
/// documents never holds up the verdict.
package enum DocumentIndexComparison {
    /// How many records pass between two looks at the deadline and the signals.
    static let checkEvery = 4096

    package static func compare(
        baseline: SpoolFile, current: SpoolFile, limit: Int, list: SpoolWriter, deadline: Deadline? = nil
    ) throws -> CheckEvidence {
        let before = try DocumentIndexReader(baseline)
        let after = try DocumentIndexReader(current)
        guard before.fields == after.fields else {
            throw DocumentIndexError(
                "the baseline indexed the fields \(before.fields.joined(separator: ",")) and now \(after.fields.joined(separator: ",")) are indexed")
        }
        guard before.digestWidth == after.digestWidth else {
            throw DocumentIndexError("one index has field digests and the other has none (the evidence key was set or removed since pre-taste)")
        }
        let keyed = before.digestWidth > 0
        let fields = before.fields
        var lost = ChangedDocuments(), added = ChangedDocuments(), modified = ChangedDocuments()
        func record(_ change: String, _ entry: DocumentIndexEntry, fields changed: [String]? = nil, into documents: inout ChangedDocuments) throws {
            let id = entry.id.canonicalJSON
            documents.count += 1
            if documents.first.count < limit { documents.first.append(ChangedDocument(id: id, fields: changed)) }
            var line = "{\"change\":\"\(change)\",\"_id\":\(id)"
            if let changed { line += ",\"fields\":[" + changed.map(ExtendedJSONText.quote).joined(separator: ",") + "]" }
            try list.write(line + "}\n")
        }
        var left = try OrderedEntries(reader: before, side: "the baseline's")
        var right = try OrderedEntries(reader: after, side: "today's")
        var steps = 0
        while true {
            steps += 1
            if steps % checkEvery == 0, let deadline {
                if deadline.isExpired {
                    throw DocumentIndexError(
                        "naming them took longer than the time set aside for it (\(DurationParser.format(deadline.budget)) of TASTER_DEADLINE)")
                }
                if let signal = Interruption.signal { throw DocumentIndexError("naming them was interrupted by signal \(signal)") }
            }
            switch (left.current, right.current) {
            case (nil, nil):
                guard keyed else {
                    return CheckEvidence(
                        lost: lost, added: added,
                        limited: "modified documents cannot be named: the indexes hold _ids only, as no evidence key was set "
                            + "(set TASTER_EVIDENCE_KEY, or connect with a password, README \"Which documents changed\")")
                }
                return CheckEvidence(lost: lost, added: added, modified: modified)
            case (let old?, nil):
                try record("lost", old, into: &lost)
                try left.advance()
            case (nil, let new?):
                try record("added", new, into: &added)
                try right.advance()
            case (let old?, let new?):
                let order = old.id.order(new.id)
                if order < 0 {
                    try record("lost", old, into: &lost)
                    try left.advance()
                } else if order > 0 {
                    try record("added", new, into: &added)
                    try right.advance()
                } else {
                    if keyed, old.digests != new.digests {
                        let changed = fields.indices.filter { old.digest($0) != new.digest($0) }.map { fields[$0] }
                        try record("modified", new, fields: changed, into: &modified)
                    }
                    try left.advance()
                    try right.advance()
                }
            }
        }
    }

    /// An index's records, refusing any that is not after the one before (the merge depends on
    /// both sides being in the same strict order).
    struct OrderedEntries {
        var reader: DocumentIndexReader
        let side: String
        var current: DocumentIndexEntry?

        init(reader: DocumentIndexReader, side: String) throws {
            self.reader = reader
            self.side = side
            current = try self.reader.next()
        }

        mutating func advance() throws {
            let previous = current
            current = try reader.next()
            if let previous, let current, previous.id.order(current.id) >= 0 {
                throw DocumentIndexError(
                    "\(side) index is not in the order taster compares in (\(current.id.canonicalJSON) after \(previous.id.canonicalJSON))")
            }
        }
    }
}
