import FoundationEssentials
import Logging

/// Measures every check of a plan, concurrently on one pool, read-only. Waiting for MongoDB and
/// owning the pool is `MongoSnapshotSource`'s part.
public struct Snapshotter: Sendable {
    public var settings: MongoSettings
    public var deadline: Deadline
    public var logger: Logger
    /// How many checks run at once (each holds one pooled connection).
    public var concurrency: Int

    public static let defaultConcurrency = 4

    public init(settings: MongoSettings, deadline: Deadline, logger: Logger, concurrency: Int = Snapshotter.defaultConcurrency) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
        self.concurrency = max(1, concurrency)
    }

    /// Measures `plan` on `pool`: the server's version and time first, then which collections
    /// exist, then every check (at most `concurrency` at once). The first failure cancels the rest.
    ///
    /// - Parameters:
    ///   - cut: the baseline's time for `asOf: baseline` checks; nil when this snapshot is the
    ///     baseline, which then cuts at its own time.
    ///   - refusingMissing: throw `MissingCollectionError` (exit 2), before measuring anything,
    ///     when a check's collection does not exist and the check does not say `allowMissing:
    ///     true` — a baseline must not record a check that guards nothing. Otherwise such
    ///     collections are recorded as missing.
    public func measure(_ plan: SnapshotPlan, pool: MongoClientPool, asOf cut: Date? = nil,
                        refusingMissing: Bool = false) async throws -> Snapshot {
        let clock = ContinuousClock()
        let started = clock.now
        let clientTime = Date()
        let databases = plan.databases
        let (server, existing) = try await Blocking.run(until: deadline, step: "the snapshot (reading the server's version and collections)") {
            try pool.withClient { client in
                let info = try MongoServerInfo.read(client)
                var existing: [String: Set<String>] = [:]
                for database in databases { existing[database] = try client.collectionNames(database: database) }
                return (info, existing)
            }
        }
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
        try await withThrowingTaskGroup(of: (Int, CheckResult).self) { group in
            var next = 0
            func start() {
                let index = next
                next += 1
                let check = checks[index]
                let exists = existing[check.database]?.contains(check.collection) ?? false
                group.addTask { [deadline] in
                    (index, try await Self.measure(check, exists: exists, pool: pool, cut: asOf, deadline: deadline))
                }
            }
            while next < min(concurrency, checks.count) { start() }
            while let (index, result) = try await group.next() {
                results[index] = result
                logger.debug("measured", metadata: [
                    "check": .string(result.name), "value": .string(result.value?.description ?? "none"),
                    "seconds": .stringConvertible(result.durationSeconds),
                ])
                if next < checks.count { start() }
            }
        }
        let snapshot = Snapshot(database: plan.database, serverVersion: server.version, takenAt: Timestamp.rfc3339(takenAt),
                                clock: server.localTime == nil ? "client" : "server",
                                durationSeconds: started.duration(to: clock.now).seconds, checks: results.compactMap { $0 })
        for (definition, result) in zip(checks, snapshot.checks) {
            if let warning = result.absentFieldsWarning {
                logger.warning("\(definition.origin): \(warning)")
            }
        }
        let missing = snapshot.checks.filter(\.missing).map(\.name)
        logger.info("snapshot taken", metadata: [
            "database": .string(plan.database), "checks": .stringConvertible(snapshot.checks.count),
            "seconds": .string(TextFormatting.fixed(snapshot.durationSeconds, 2)),
        ].merging(missing.isEmpty ? [:] : ["missing": .string(missing.joined(separator: ","))]) { $1 })
        return snapshot
    }

    static func measure(_ check: CheckDefinition, exists: Bool, pool: MongoClientPool, cut: AsOfCut,
                        deadline: Deadline) async throws -> CheckResult {
        try Task.checkCancellation()
        let clock = ContinuousClock()
        let started = clock.now
        var result = CheckResult(name: check.name, kind: check.kind, database: check.database, collection: check.collection,
                                 value: nil, durationSeconds: 0, missing: !exists, rule: check.rule, severity: check.severity,
                                 allowMissing: check.allowMissing, parameters: parameters(of: check, cut: cut))
        // A dropped collection is reported as missing, never measured as a silent 0.
        guard exists else { return result }
        let cancellation = CancellationFlag()
        let measurement = try await cancellation.bind {
            try await Blocking.run(until: deadline, step: "the snapshot (check \"\(check.name)\")") {
                try pool.withClient { client in
                    try CheckRunner(client: client, cut: cut, deadline: deadline, cancellation: cancellation).measure(check)
                }
            }
        }
        result.value = measurement.value
        result.documents = measurement.documents
        result.absentFields = measurement.absentFields
        result.durationSeconds = started.duration(to: clock.now).seconds
        return result
    }

    /// The check's settings as people read them in a report.
    static func parameters(of check: CheckDefinition, cut: AsOfCut) -> [String: String] {
        var parameters: [String: String] = [:]
        let relaxed = { (json: String) in (try? BSONDocument(json: json).relaxedJSON) ?? json }
        if let filter = check.filter { parameters["filter"] = relaxed(filter) }
        if let field = check.field { parameters["field"] = field }
        if !check.fields.isEmpty { parameters["fields"] = check.fields.joined(separator: ",") }
        if !check.pipeline.isEmpty { parameters["pipeline"] = "[" + check.pipeline.map(relaxed).joined(separator: ", ") + "]" }
        if let asOf = check.asOf { parameters["asOf"] = cut.describe(asOf) }
        return parameters
    }
}
