import FoundationEssentials
import Logging
import TasterCore
import TasterSupport

/// Measures every check of a plan on one pool, read-only: one at a time on the connection that
/// answered, then — once they have taken longer than `rampDelay` — up to `concurrency` at once. Waiting for MongoDB and
/// owning the pool is `MongoSnapshotSource`'s part.
package struct Snapshotter: Sendable {
    package var settings: MongoSettings
    package var deadline: Deadline
    package var logger: Logger
    /// How many checks run at once, once the snapshot has ramped up (each holds one pooled
    /// connection).
    package var concurrency: Int

    package static let defaultConcurrency = 4
    /// How long the checks run on one connection before more are opened: a quarter of a second
    /// of checks is not a small snapshot, and a connection costs a SCRAM handshake.
    static let rampDelay: Duration = .milliseconds(250)

    package init(settings: MongoSettings, deadline: Deadline, logger: Logger, concurrency: Int = Snapshotter.defaultConcurrency) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
        self.concurrency = max(1, concurrency)
    }

    /// Measures `plan` on `pool`: the server's version and time first, then which collections
    /// exist, then every check (at most `concurrency` at once, after `rampDelay`). The first
    /// failure cancels the rest.
    ///
    /// - Parameters:
    ///   - cut: the baseline's time for `asOf: baseline` checks; nil when this snapshot is the
    ///     baseline, which then cuts at its own time.
    ///   - refusingMissing: throw `MissingCollectionError` (exit 2), before measuring anything,
    ///     when a check's collection does not exist and the check does not say `allowMissing:
    ///     true` — a baseline must not record a check that guards nothing. Otherwise such
    ///     collections are recorded as missing.
    package func measure(
        _ plan: SnapshotPlan, pool: MongoClientPool, asOf cut: Date? = nil,
        refusingMissing: Bool = false, evidence: EvidencePolicy? = nil
    ) async throws -> IndexedSnapshot {
        let clock = ContinuousClock()
        let started = clock.now
        let clientTime = Date()
        let (server, existing, discovered) = try await Blocking.run(
            until: deadline, step: "the snapshot (reading the server's version and collections)"
        ) {
            try pool.withClient { client in
                let info = try MongoServerInfo.read(client)
                // TASTER_COLLECTIONS=*: every collection (not views, not system collections) is counted.
                let discovered = try plan.discoversCollections ? Self.countableCollections(of: plan.database, client: client) : []
                var existing: [String: Set<String>] = [:]
                for database in plan.discovering(discovered).databases {
                    existing[database] = try client.collectionNames(database: database)
                }
                return (info, existing, discovered)
            }
        }
        let plan = plan.discovering(discovered)
        let unguarded = plan.checks.filter { !$0.allowMissing && !(existing[$0.database]?.contains($0.collection) ?? false) }
        if refusingMissing, !unguarded.isEmpty {
            throw MissingCollectionError(checks: unguarded, existing: existing)
        }
        for check in unguarded {
            logger.warning("\(check.origin): collection \(check.database).\(check.collection) does not exist (recorded as missing)")
        }
        let takenAt = server.localTime ?? clientTime
        let asOf = AsOfCut(time: cut ?? takenAt)
        let checks = plan.checks
        var results = [CheckResult?](repeating: nil, count: checks.count)
        var indexes: [String: DocumentIndexOutcome] = [:]
        // One check at a time on the connection that already answered, until the checks prove
        // slow: every further pooled connection costs a SCRAM handshake (PBKDF2 of the password,
        // about 20 ms of CPU in libmongoc), more than a whole small snapshot.
        let rampDelay = Self.rampDelay
        try await withThrowingTaskGroup(of: (Int, CheckResult, DocumentIndexOutcome?)?.self) { group in
            var next = 0
            var running = 0
            var ramped = concurrency == 1
            func start() {
                let index = next
                next += 1
                running += 1
                let check = checks[index]
                let exists = existing[check.database]?.contains(check.collection) ?? false
                group.addTask { [deadline, logger] in
                    let (result, outcome) = try await Self.measure(
                        check, exists: exists, pool: pool, cut: asOf, evidence: evidence, deadline: deadline, logger: logger)
                    return (index, result, outcome)
                }
            }
            if !ramped && checks.count > 1 {
                group.addTask {
                    try? await Task.sleep(for: rampDelay)
                    return nil
                }
            }
            if !checks.isEmpty { start() }
            while running > 0, let item = try await group.next() {
                guard let (index, result, outcome) = item else {
                    ramped = true
                    while running < concurrency && next < checks.count { start() }
                    continue
                }
                running -= 1
                results[index] = result
                if let outcome { indexes[result.name] = outcome }
                logger.debug(
                    "measured",
                    metadata: [
                        "check": .string(result.name), "value": .string(result.value?.description ?? "none"),
                        "seconds": .stringConvertible(result.durationSeconds),
                    ])
                while running < (ramped ? concurrency : 1) && next < checks.count { start() }
            }
            // Done before the ramp: it is not needed any more.
            group.cancelAll()
        }
        let snapshot = Snapshot(
            database: plan.database, serverVersion: server.version, takenAt: Timestamp.rfc3339(takenAt),
            clock: server.localTime == nil ? "client" : "server",
            durationSeconds: started.duration(to: clock.now).seconds, checks: results.compactMap { $0 })
        for (definition, result) in zip(checks, snapshot.checks) {
            if let warning = result.absentFieldsWarning {
                logger.warning("\(definition.origin): \(warning)")
            }
        }
        let missing = snapshot.checks.filter(\.missing).map(\.name)
        logger.info(
            "snapshot taken",
            metadata: [
                "database": .string(plan.database), "checks": .stringConvertible(snapshot.checks.count),
                "seconds": .string(TextFormatting.fixed(snapshot.durationSeconds, 2)),
            ].merging(missing.isEmpty ? [:] : ["missing": .string(missing.joined(separator: ","))]) { $1 })
        for (name, outcome) in indexes.sorted(by: { $0.key < $1.key }) {
            if case .skipped(let reason) = outcome { logger.warning("check \"\(name)\": no document index: \(reason)") }
        }
        return IndexedSnapshot(snapshot: snapshot, indexes: indexes)
    }

    /// The collections and time-series collections of `database`, system collections aside, by
    /// name.
    static func countableCollections(of database: String, client: MongoClient) throws(MongoError) -> [String] {
        try client.listCollections(database: database, nameOnly: true).compactMap { document in
            guard case .string(let name)? = document["name"], !name.hasPrefix("system.") else { return nil }
            if case .string(let type)? = document["type"], type != "collection" && type != "timeseries" { return nil }
            return name
        }.sorted()
    }

    static func measure(
        _ check: CheckDefinition, exists: Bool, pool: MongoClientPool, cut: AsOfCut,
        evidence: EvidencePolicy?, deadline: Deadline, logger: Logger
    ) async throws -> (CheckResult, DocumentIndexOutcome?) {
        try Task.checkCancellation()
        let clock = ContinuousClock()
        let started = clock.now
        var result = CheckResult(
            name: check.name, kind: check.kind, database: check.database, collection: check.collection,
            value: nil, durationSeconds: 0, missing: !exists, rule: check.rule, severity: check.severity,
            allowMissing: check.allowMissing, parameters: check.parameters(cut: cut, dialect: MongoCheckDialect()))
        result.discovered = check.discovered
        // A dropped collection is reported as missing, never measured as a silent 0.
        let indexing = check.indexesDocuments ? evidence : nil
        guard exists else { return (result, indexing.map { _ in .skipped("collection \(check.database).\(check.collection) does not exist") }) }
        let measurement = try await onceMoreAfterLostConnection(
            "check \"\(check.name)\"", again: "measuring it once more", deadline: deadline, logger: logger
        ) {
            try await measureOnce(check, pool: pool, cut: cut, evidence: indexing, deadline: deadline)
        }
        result.value = measurement.value
        result.documents = measurement.documents
        result.absentFields = measurement.absentFields
        result.durationSeconds = started.duration(to: clock.now).seconds
        return (result, measurement.index)
    }

    /// One measurement of `check` on a client of `pool`, ended by the deadline or a cancellation.
    static func measureOnce(
        _ check: CheckDefinition, pool: MongoClientPool, cut: AsOfCut, evidence: EvidencePolicy?, deadline: Deadline
    ) async throws -> CheckRunner.Measurement {
        let cancellation = CancellationFlag()
        return try await cancellation.bind {
            try await Blocking.run(until: deadline, step: "the snapshot (check \"\(check.name)\")") {
                try pool.withClient { client in
                    try CheckRunner(client: client, cut: cut, deadline: deadline, cancellation: cancellation, evidence: evidence)
                        .measure(check)
                }
            }
        }
    }
}
