import TasterSupport

/// Checks whose collection does not exist, met when the baseline is taken: each would be "missing
/// on both sides" and pass every sync while guarding nothing (usually a misspelled collection).
/// Exit 2: the checks file or `TASTER_COLLECTIONS` must change, or the check must say
/// `allowMissing: true`.
package struct MissingCollectionError: TasterError {
    package struct Refused: Sendable, Equatable {
        package let check: String
        package let origin: String
        package let database: String
        package let collection: String
        /// Collections the database does hold that look like the one named (a misspelling's cure).
        package let similar: [String]
    }

    package let refused: [Refused]
    /// Every collection of the databases concerned, for the message (collection names are not
    /// secrets).
    package let existing: [String: [String]]

    package init(checks: [CheckDefinition], existing: [String: Set<String>]) {
        refused = checks.map { check in
            let names = existing[check.database] ?? []
            return Refused(
                check: check.name, origin: check.origin, database: check.database, collection: check.collection,
                similar: Self.similar(to: check.collection, among: names))
        }
        var shown: [String: [String]] = [:]
        for check in checks { shown[check.database] = (existing[check.database] ?? []).sorted() }
        self.existing = shown
    }

    package var exitCode: TasterExitCode { .usage }

    package var description: String {
        var lines = refused.map { item in
            let hint = item.similar.isEmpty ? "" : " (did you mean \(item.similar.joined(separator: " or "))?)"
            return "\(item.origin) reads \(item.database).\(item.collection), which does not exist\(hint)"
        }
        for (database, names) in existing.sorted(by: { $0.key < $1.key }) {
            let listed = names.prefix(20).joined(separator: ", ")
            lines.append("database \(database) holds \(names.isEmpty ? "no collections" : listed + (names.count > 20 ? ", … (\(names.count) in all)" : ""))")
        }
        let what = refused.count == 1 ? "a check whose collection does not exist" : "\(refused.count) checks whose collections do not exist"
        return "refusing \(what): it would pass every sync while guarding nothing — "
            + lines.joined(separator: "; ")
            + ". Fix the collection name (in the checks file, or TASTER_COLLECTIONS), or, for a collection that may "
            + "legitimately not exist yet, set `allowMissing: true` on the check (a TASTER_COLLECTIONS count is replaced by "
            + "a checks-file check of the same name, e.g. `- {name: orders, kind: count, collection: orders, allowMissing: true}`)"
    }

    /// Names within two edits of `name` (case-insensitive), closest first, at most three.
    package static func similar(to name: String, among names: Set<String>) -> [String] {
        let target = Array(name.lowercased())
        let scored = names.compactMap { candidate -> (String, Int)? in
            let distance = editDistance(target, Array(candidate.lowercased()), limit: 2)
            return distance.map { (candidate, $0) }
        }
        return scored.sorted { ($0.1, $0.0) < ($1.1, $1.0) }.prefix(3).map(\.0)
    }

    /// Levenshtein distance with adjacent transpositions, or nil when above `limit`.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        guard abs(a.count - b.count) <= limit else { return nil }
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous2: [Int] = []
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            previous2 = previous
            previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
