import FoundationEssentials
import TasterSupport

extension Snapshot {
    /// The snapshot for a terminal or pod log: a heading line, then one row per check.
    package var table: String {
        // A PostgreSQL snapshot's version names its engine (`PostgreSQL 15.8`); MongoDB's is the bare number.
        let server = serverVersion.map { $0.hasPrefix("PostgreSQL") ? $0 : "MongoDB \($0)" } ?? "MongoDB (version unknown)"
        let sql = language == .sql
        let heading =
            "snapshot of database \(database): \(server), "
            + "taken \(takenAt) (\(clock) clock) in \(TextFormatting.fixed(durationSeconds, 2))s"
        let rows = checks.map { check -> [String] in
            let value = check.missing ? "missing" : (check.value?.description ?? "none")
            let place =
                check.kind == .query ? "(query)" : check.database == database ? check.collection : "\(check.database).\(check.collection)"
            let rule = check.severity == .warn ? "\(check.rule.name) (warn)" : check.rule.name
            return [
                check.name, check.kind.rawValue, place, value, check.documents.map(String.init) ?? "",
                rule, TextFormatting.fixed(check.durationSeconds, 3) + "s",
            ]
        }
        let table = TextTable(
            header: ["CHECK", "KIND", sql ? "TABLE" : "COLLECTION", "VALUE", sql ? "ROWS" : "DOCUMENTS", "RULE", "TIME"],
            rows: rows, rightAligned: [3, 4, 6])
        return heading + "\n\n" + table.render() + warnings.map { "\nWARNING: " + $0 }.joined()
    }

    /// One line per check that guards nothing (no considered document holds its field).
    package var warnings: [String] {
        checks.compactMap { check in check.absentFieldsWarning.map { "check \"\(check.name)\": \($0)" } }
    }

    /// The snapshot as pretty-printed JSON with sorted keys (the shape reports embed).
    package func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
