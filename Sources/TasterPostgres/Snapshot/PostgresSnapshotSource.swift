import FoundationEssentials
import Logging
import Synchronization
import TasterCore
import TasterSupport

/// The workflows' database when it is PostgreSQL: waits until it accepts connections, then takes
/// each snapshot on a connection of its own inside one read-only transaction
/// (`PostgresSnapshotter`).
///
/// The checks file is read when this is made, before anything is scaled, so a bad file exits 2
/// with nothing touched. SIGTERM cancels the statement in flight on the server (`PQcancel`),
/// not only taster's wait for it.
package final class PostgresSnapshotSource: DatabaseSnapshotting {
    let settings: PostgresSettings
    let plan: SnapshotPlan
    let logger: Logger
    /// The connection that answered the wait, kept for the next snapshot: a connection costs a
    /// SCRAM handshake (and a TLS one), more than a small snapshot's queries.
    private let answered = Mutex<PostgresConnection.Handover?>(nil)

    package var engine: String { "PostgreSQL" }
    package var name: String { settings.databaseName }
    package var keepsDocumentIndexes: Bool { plan.keepsDocumentIndexes }

    package init(settings: PostgresSettings, logger: Logger) throws {
        self.settings = settings
        self.plan = try SnapshotPlan(settings: settings)
        self.logger = logger
    }

    package func waitUntilAvailable(timeout: Duration, deadline: Deadline) async throws {
        let clock = ContinuousClock()
        let end = clock.now + timeout
        // The connection that read the schema before scaling, when it still answers.
        let early = answered.withLock { current in
            defer { current = nil }
            return current
        }
        var reused = await Self.answering(early)
        while true {
            do {
                let remaining = min(end - clock.now, deadline.remaining)
                let handover: PostgresConnection.Handover
                if let kept = reused {
                    handover = kept
                    reused = nil
                } else {
                    handover = try await Self.connect(settings, timeout: remaining, operation: "waiting for PostgreSQL")
                }
                logger.info(
                    "PostgreSQL is available",
                    metadata: ["server": .string(handover.summary.address), "version": .string(handover.summary.serverVersion)])
                answered.withLock { $0 = handover }
                return
            } catch let error as PostgresError where error.kind == .unreachable || error.kind == .connectionLost {
                // Starting up or not listening yet: try again until the wait is over.
                guard clock.now < end, !deadline.isExpired else { throw error }
                logger.debug("PostgreSQL is not available yet: \(error.detail)")
                try await Task.sleep(for: min(.seconds(1), max(end - clock.now, .milliseconds(10))))
            }
        }
    }

    package func snapshot(asOf: Date?, refusingMissing: Bool, deadline: Deadline) async throws -> Snapshot {
        try await measure(asOf: asOf, refusingMissing: refusingMissing, evidence: nil, deadline: deadline).snapshot
    }

    package func snapshot(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy, deadline: Deadline) async throws -> IndexedSnapshot {
        try await measure(asOf: asOf, refusingMissing: refusingMissing, evidence: evidence, deadline: deadline)
    }

    func measure(asOf: Date?, refusingMissing: Bool, evidence: EvidencePolicy?, deadline: Deadline) async throws -> IndexedSnapshot {
        let cancellation = CancellationFlag()
        let canceller = Mutex<PostgresCanceller?>(nil)
        let settings = settings
        let plan = plan
        let kept = answered.withLock { current in
            defer { current = nil }
            return current
        }
        let (indexed, unguarded) = try await withTaskCancellationHandler {
            try await Blocking.run { () throws -> (IndexedSnapshot, [CheckDefinition]) in
                // The wait's connection when it still answers (the server may have restarted since).
                let reused = kept?.take().flatMap { connection in
                    (try? connection.execute("SELECT 1", operation: "checking the connection")) == nil ? nil : connection
                }
                let connection =
                    try reused
                    ?? PostgresConnection.connect(
                        settings.parameters(connectTimeout: deadline.remaining), operation: "connecting to PostgreSQL for the snapshot")
                canceller.withLock { $0 = connection.canceller }
                defer { canceller.withLock { $0 = nil } }
                if cancellation.isCancelled { throw CancellationError() }
                do {
                    return try PostgresSnapshotter(
                        connection: connection, plan: plan, deadline: deadline, cancellation: cancellation, evidence: evidence
                    )
                    .measure(cutAt: asOf, refusingMissing: refusingMissing)
                } catch let error as PostgresError where error.kind == .cancelled && cancellation.isCancelled {
                    throw CancellationError()
                } catch let error as PostgresError where error.kind == .timeout {
                    throw DeadlineExceededError(step: "the snapshot (\(error.operation))", budget: deadline.budget)
                }
            }
        } onCancel: {
            cancellation.cancel()
            // PQcancel: the server stops the query now, rather than when it notices taster is gone.
            canceller.withLock { $0 }?.cancel()
        }
        let snapshot = indexed.snapshot
        for check in unguarded {
            logger.warning("\(check.origin): table \(check.database).\(check.collection) does not exist (recorded as missing)")
        }
        let missing = snapshot.checks.filter(\.missing).map(\.name)
        logger.info(
            "snapshot taken",
            metadata: [
                "database": .string(snapshot.database), "checks": .stringConvertible(snapshot.checks.count),
                "seconds": .string(TextFormatting.fixed(snapshot.durationSeconds, 2)),
            ].merging(missing.isEmpty ? [:] : ["missing": .string(missing.joined(separator: ","))]) { $1 })
        for (name, outcome) in indexed.indexes.sorted(by: { $0.key < $1.key }) {
            if case .skipped(let reason) = outcome { logger.warning("check \"\(name)\": no document index: \(reason)") }
        }
        return indexed
    }

    /// Every table and view of the user schemas (`PostgresInventoryReader`), on the connection
    /// that answered the wait, which then takes the snapshot.
    package func inventory(deadline: Deadline) async throws -> DatabaseInventory? {
        let settings = settings
        let rules = plan.structure.isDefault ? nil : plan.structure
        let kept = answered.withLock { current in
            defer { current = nil }
            return current
        }
        let cancellation = CancellationFlag()
        let canceller = Mutex<PostgresCanceller?>(nil)
        let (inventory, handover) = try await withTaskCancellationHandler {
            try await Blocking.run { () throws -> (DatabaseInventory, PostgresConnection.Handover) in
                // The wait's connection when it still answers (the server may have restarted since).
                let reused = kept?.take().flatMap { connection in
                    (try? connection.execute("SELECT 1", operation: "checking the connection")) == nil ? nil : connection
                }
                let connection =
                    try reused
                    ?? PostgresConnection.connect(
                        settings.parameters(connectTimeout: deadline.remaining), operation: "connecting to PostgreSQL for the inventory")
                canceller.withLock { $0 = connection.canceller }
                defer { canceller.withLock { $0 = nil } }
                if cancellation.isCancelled { throw CancellationError() }
                do {
                    let inventory = try PostgresInventoryReader(connection: connection, deadline: deadline, rules: rules).read()
                    return (inventory, PostgresConnection.Handover(connection))
                } catch let error as PostgresError where error.kind == .cancelled && cancellation.isCancelled {
                    throw CancellationError()
                } catch let error as PostgresError where error.kind == .timeout {
                    throw DeadlineExceededError(step: "the inventory (\(error.operation))", budget: deadline.budget)
                }
            }
        } onCancel: {
            cancellation.cancel()
            canceller.withLock { $0 }?.cancel()
        }
        answered.withLock { $0 = handover }
        for problem in inventory.problems ?? [] { logger.warning("inventory: \(problem)") }
        return inventory
    }

    /// `kept` when its connection still answers (the server may have restarted since it was made).
    static func answering(_ kept: PostgresConnection.Handover?) async -> PostgresConnection.Handover? {
        guard let kept else { return nil }
        return try? await Blocking.runCancellable { () -> PostgresConnection.Handover? in
            guard let connection = kept.take(), (try? connection.execute("SELECT 1", operation: "checking the connection")) != nil else {
                return nil
            }
            return PostgresConnection.Handover(connection)
        }
    }

    /// How long pre-taste tries to read the schema before anything is scaled.
    static let earlyWait: Duration = .seconds(3)

    /// The refusals of a baseline (`PostgresSnapshotter.refusals`), before anything is scaled, on
    /// a connection the wait then reuses. A server that does not answer within `earlyWait`, or any
    /// other failure, is left to the wait and the snapshot, which say what failed.
    package func refuseBaselineEarly(deadline: Deadline) async throws {
        let plan = plan
        guard plan.checks.contains(where: { $0.kind != .query }) else { return }
        let handover: PostgresConnection.Handover
        do {
            handover = try await Self.connect(
                settings, timeout: deadline.capped(Self.earlyWait), operation: "reading the schema before anything is scaled")
        } catch {
            logger.debug("the schema is not read before scaling (\(error)); the snapshot checks it")
            return
        }
        do {
            let kept = try await Blocking.runCancellable { () throws -> PostgresConnection.Handover? in
                guard let connection = handover.take() else { return nil }
                _ = try connection.execute(
                    "SELECT set_config('statement_timeout', $1, false)", [String(max(deadline.capped(Self.earlyWait).milliseconds, 1))],
                    operation: "setting statement_timeout")
                _ = try PostgresSnapshotter.refusals(connection, plan: plan, refusing: true)
                _ = try connection.execute("RESET statement_timeout", operation: "resetting statement_timeout")
                return PostgresConnection.Handover(connection)
            }
            // Kept for the wait, which then needs no handshake of its own.
            answered.withLock { $0 = kept }
        } catch let error as MissingCollectionError {
            throw error
        } catch let error as NoPrimaryKeyError {
            throw error
        } catch {
            logger.debug("the schema is not read before scaling (\(error)); the snapshot checks it")
        }
    }

    /// A snapshot that records missing tables (`taster snapshot`).
    package func snapshot(asOf: Date?, deadline: Deadline) async throws -> Snapshot {
        try await snapshot(asOf: asOf, refusingMissing: false, deadline: deadline)
    }

    /// Opens a connection on a thread of its own; SIGTERM does not wait for it.
    static func connect(_ settings: PostgresSettings, timeout: Duration, operation: String) async throws -> PostgresConnection.Handover {
        try await Blocking.runCancellable {
            PostgresConnection.Handover(try PostgresConnection.connect(settings.parameters(connectTimeout: timeout), operation: operation))
        }
    }
}

extension SnapshotPlan {
    /// The plan of the PostgreSQL settings: `TASTER_COLLECTIONS` (tables, `orders` or
    /// `schema.orders`) and the checks file in SQL's spelling (exit 2 on any problem, before
    /// PostgreSQL is touched).
    package init(settings: PostgresSettings) throws(ChecksFileError) {
        var plan = try SnapshotPlan(
            database: settings.schema, collections: [], checksFile: settings.checksFile, dialect: PostgresCheckDialect())
        let defaults = settings.tables.map { table -> CheckDefinition in
            let parts = table.split(separator: ".", maxSplits: 1).map(String.init)
            let (schema, name) = parts.count == 2 ? (parts[0], parts[1]) : (settings.schema, table)
            return CheckDefinition(name: table, kind: .count, database: schema, collection: name, origin: "TASTER_COLLECTIONS")
        }
        // A checks-file entry named like a default count replaces it, in its place.
        var checks = defaults.map { check in plan.checks.first { $0.name == check.name } ?? check }
        checks += plan.checks.filter { check in !defaults.contains { $0.name == check.name } }
        plan.checks = checks
        self = plan
    }
}
