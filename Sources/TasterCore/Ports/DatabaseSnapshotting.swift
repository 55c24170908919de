import FoundationEssentials
import TasterSupport

/// What the workflows need from the database: implemented by the MongoDB adapter.
package protocol DatabaseSnapshotting: Sendable {
    /// The engine, for the log (`wait for MongoDB`).
    var engine: String { get }
    /// The database's name, for the log (`snapshot of pxbbq`).
    var name: String { get }
    /// Whether a configured check keeps a document index (`CheckDefinition.indexesDocuments`):
    /// the evidence key is made only then.
    var keepsDocumentIndexes: Bool { get }
    /// Waits until the database accepts connections, within `timeout` (and the deadline).
    func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws
    /// Measures every configured check; `asOf` is the baseline's snapshot time for checks
    /// configured with `asOf: baseline`. With `refusingMissing` (the baseline), a check whose
    /// collection does not exist and that does not say `allowMissing: true` is refused with
    /// `MissingCollectionError` (exit 2) before anything is measured.
    func snapshot(asOf: Date?, refusingMissing: Bool, deadline: Deadline) async throws -> Snapshot
    /// `snapshot(asOf:refusingMissing:deadline:)`, and for every check that keeps a document index
    /// (`CheckDefinition.indexesDocuments`) its index, written while the check reads its documents
    /// in the server's `_id` order — or why there is none.
    func snapshot(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy, deadline: Deadline) async throws -> IndexedSnapshot
    /// Every collection, view and index of the database, with the structure rules the sync is
    /// judged with; taken before `snapshot`, on the same connections. What the server refuses is
    /// recorded in the inventory, not thrown. Nil when the database cannot describe itself.
    func inventory(deadline: Deadline) async throws -> DatabaseInventory?
    /// Pre-taste, before anything is scaled: throws (exit 2) what `snapshot(refusingMissing: true)`
    /// would refuse when the database can already tell — a missing table, a table without a
    /// primary key. Returns quietly when the database does not answer at once: the snapshot
    /// refuses it then.
    func refuseBaselineEarly(deadline: Deadline) async throws
}

extension DatabaseSnapshotting {
    package var keepsDocumentIndexes: Bool { false }

    /// An engine that keeps no document index.
    package func snapshot(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy, deadline: Deadline) async throws -> IndexedSnapshot {
        IndexedSnapshot(snapshot: try await snapshot(asOf: asOf, refusingMissing: refusingMissing, deadline: deadline))
    }

    package func inventory(deadline: Deadline) async throws -> DatabaseInventory? { nil }

    /// An engine that tells only at snapshot time.
    package func refuseBaselineEarly(deadline: Deadline) async throws {}
}
