import FoundationEssentials
import TasterSupport

extension DatabaseInventory {
    /// The inventory for a terminal (`taster snapshot --inventory`): a heading line, then one row
    /// per collection and view, then what the server refused.
    package var table: String {
        let sql = (collections ?? []).contains { $0.type == .table }
        let heading =
            "inventory of database \(database): \(collections?.count ?? 0) \(sql ? "tables" : "collections") and views, \(indexCount) indexes, "
            + "read in \(TextFormatting.fixed(durationSeconds, 2))s"
        let rows = (collections ?? []).map { collection -> [String] in
            [
                collection.name, collection.type.rawValue, collection.estimatedCount.map(String.init) ?? "—",
                collection.indexes.map { $0.map(\.name).joined(separator: ", ") } ?? "unknown",
                sql
                    ? (collection.columns ?? []).map(\.name).joined(separator: ", ")
                    : collection.options.keys.sorted().joined(separator: ", "),
            ]
        }
        let table = TextTable(
            header: [sql ? "TABLE" : "COLLECTION", "TYPE", "ESTIMATED", "INDEXES", sql ? "COLUMNS" : "OPTIONS"], rows: rows, rightAligned: [2])
        return heading + "\n\n" + table.render() + (problems ?? []).map { "\nREFUSED: " + $0 }.joined()
    }
}

/// `taster snapshot --inventory --output json`: the snapshot and the inventory side by side.
package struct InventoriedSnapshot: Sendable, Encodable {
    package var snapshot: Snapshot
    package var inventory: DatabaseInventory?

    package init(snapshot: Snapshot, inventory: DatabaseInventory?) {
        self.snapshot = snapshot
        self.inventory = inventory
    }

    package func jsonText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
