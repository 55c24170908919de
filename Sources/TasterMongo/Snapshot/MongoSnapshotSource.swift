import FoundationEssentials
import Logging
import Synchronization
import TasterCore
import TasterSupport

/// The workflows' database: waits for MongoDB, then snapshots on the pool that answered.
///
/// The checks file is read when this is made, before anything is scaled, so a bad file exits 2
/// with nothing touched.
package final class MongoSnapshotSource: DatabaseSnapshotting {
    let settings: MongoSettings
    let plan: SnapshotPlan
    let logger: Logger
    /// Whether the pool is destroyed after the snapshot. Destroying joins libmongoc's monitor
    /// threads, which takes about half a second with a server that streams its topology; a
    /// command-line run that exits right afterwards leaves that to the kernel (see `ProcessExit`).
    let closesPool: Bool
    private let pool = Mutex<MongoClientPool?>(nil)

    package var engine: String { "MongoDB" }
    package var name: String { settings.database }
    package var keepsDocumentIndexes: Bool { plan.keepsDocumentIndexes }

    package init(settings: MongoSettings, logger: Logger, closesPool: Bool = true) throws {
        self.settings = settings
        self.plan = try SnapshotPlan(settings: settings)
        self.logger = logger
        self.closesPool = closesPool
    }

    package func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws {
        let connector = try MongoConnector(settings: settings, deadline: deadline)
        let ready = try await connector.waitUntilReady(wait: timeout, logger: logger)
        if let previous = pool.withLock({ current in
            defer { current = ready }; return current
        }) {
            await previous.close()
        }
    }

    package func snapshot(asOf: Date?, refusingMissing: Bool, deadline: Deadline) async throws -> Snapshot {
        try await measure(asOf: asOf, refusingMissing: refusingMissing, evidence: nil, deadline: deadline).snapshot
    }

    package func snapshot(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy, deadline: Deadline) async throws -> IndexedSnapshot {
        try await measure(asOf: asOf, refusingMissing: refusingMissing, evidence: evidence, deadline: deadline)
    }

    func measure(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy?, deadline: Deadline) async throws -> IndexedSnapshot {
        guard let pool = pool.withLock({ $0 }) else {
            try await waitUntilAvailable(timeout: deadline.capped(settings.wait), deadline: deadline)
            return try await measure(asOf: asOf, refusingMissing: refusingMissing, evidence: evidence, deadline: deadline)
        }
        let snapshotter = Snapshotter(settings: settings, deadline: deadline, logger: logger)
        do {
            let snapshot = try await snapshotter.measure(
                plan, pool: pool, asOf: asOf, refusingMissing: refusingMissing, evidence: evidence)
            await release()
            return snapshot
        } catch {
            await release()
            throw error
        }
    }

    package func inventory(deadline: Deadline) async throws -> DatabaseInventory? {
        guard let pool = pool.withLock({ $0 }) else {
            try await waitUntilAvailable(timeout: deadline.capped(settings.wait), deadline: deadline)
            return try await inventory(deadline: deadline)
        }
        let reader = InventoryReader(database: settings.database, deadline: deadline, logger: logger)
        let rules = plan.structure.isDefault ? nil : plan.structure
        return try await onceMoreAfterLostConnection("the inventory", again: "reading it once more", deadline: deadline, logger: logger) {
            try await reader.read(pool: pool, rules: rules)
        }
    }

    /// A snapshot that records missing collections (`taster snapshot`): see
    /// `snapshot(asOf:refusingMissing:deadline:)`.
    package func snapshot(asOf: Date?, deadline: Deadline) async throws -> Snapshot {
        try await snapshot(asOf: asOf, refusingMissing: false, deadline: deadline)
    }

    /// Done with the pool: close it, or hand it to `ProcessExit` when the process ends right after.
    func release() async {
        if closesPool {
            await close()
        } else if let current = pool.withLock({ current in
            defer { current = nil }; return current
        }) {
            ProcessExit.keepUntilExit(current)
        }
    }

    /// Closes the pool (joins libmongoc's monitor threads).
    package func close() async {
        if let current = pool.withLock({ current in
            defer { current = nil }; return current
        }) {
            await current.close()
        }
    }
}
