import FoundationEssentials
import Logging
import Synchronization

/// The workflows' database: waits for MongoDB, then snapshots on the pool that answered.
///
/// The checks file is read when this is made, before anything is scaled, so a bad file exits 2
/// with nothing touched.
public final class MongoSnapshotSource: DatabaseSnapshotting {
    let settings: MongoSettings
    let plan: SnapshotPlan
    let logger: Logger
    private let pool = Mutex<MongoClientPool?>(nil)

    public init(settings: MongoSettings, logger: Logger) throws {
        self.settings = settings
        self.plan = try SnapshotPlan(settings: settings)
        self.logger = logger
    }

    public func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws {
        let connector = try MongoConnector(settings: settings, deadline: deadline)
        let ready = try await connector.waitUntilReady(wait: timeout, logger: logger)
        if let previous = pool.withLock({ current in defer { current = ready }; return current }) {
            await previous.close()
        }
    }

    public func snapshot(asOf: Date?, deadline: Deadline) async throws -> Snapshot {
        guard let pool = pool.withLock({ $0 }) else {
            try await waitUntilAvailable(timeout: deadline.capped(settings.wait), deadline: deadline)
            return try await snapshot(asOf: asOf, deadline: deadline)
        }
        let snapshotter = Snapshotter(settings: settings, deadline: deadline, logger: logger)
        do {
            let snapshot = try await snapshotter.measure(plan, pool: pool, asOf: asOf)
            await close()
            return snapshot
        } catch {
            await close()
            throw error
        }
    }

    /// Closes the pool (joins libmongoc's monitor threads).
    public func close() async {
        if let current = pool.withLock({ current in defer { current = nil }; return current }) {
            await current.close()
        }
    }
}
