import Logging

/// `taster check` for MongoDB: the checks file is valid, taster authenticates, and it may read
/// each collection it will measure (a `find` of one document, which the built-in `read` role
/// allows). A collection that does not exist is a warning: a snapshot records it as missing.
struct MongoProbe: Sendable {
    let settings: MongoSettings
    let deadline: Deadline
    let logger: Logger
    /// How long to wait for MongoDB here (a check should answer quickly).
    static let wait: Duration = .seconds(15)

    func run() async -> [CheckFinding] {
        var results: [CheckFinding] = []
        let plan: SnapshotPlan
        do {
            plan = try SnapshotPlan(settings: settings)
            let extra = plan.checks.count - settings.collections.count
            results.append(.init("MongoDB", "checks", .ok, settings.checksFile.map { "\($0): valid" + (extra > 0 ? ", \(extra) checks" : "") } ?? "default counts only"))
        } catch {
            return [.init("MongoDB", "checks", .fail, "\(error)")]
        }
        let host = settings.redactedURI ?? "MongoDB"
        let pool: MongoClientPool
        do {
            let connector = try MongoConnector(settings: settings, deadline: deadline)
            pool = try await connector.waitUntilReady(wait: deadline.capped(Self.wait), logger: logger)
        } catch {
            return results + [.init("MongoDB", "connect", .fail, "\(error)")]
        }
        results.append(.init("MongoDB", "connect", .ok, "\(host): authenticated"))
        let targets = Set(plan.checks.map { Target(database: $0.database, collection: $0.collection) }).sorted()
        do {
            let outcome = try await Blocking.run { [targets] in
                try pool.withClient { client -> [CheckFinding] in
                    var lines: [CheckFinding] = []
                    var existing: [String: Set<String>] = [:]
                    for target in targets {
                        let subject = "read \(target.database).\(target.collection)"
                        do {
                            if existing[target.database] == nil { existing[target.database] = try client.collectionNames(database: target.database) }
                            guard existing[target.database]!.contains(target.collection) else {
                                lines.append(.init("MongoDB", subject, .warn, "the collection does not exist; a snapshot records it as missing (and a comparison fails if it vanished)"))
                                continue
                            }
                            let options = try BSONDocument(json: #"{"limit": 1, "projection": {"_id": 1}, "maxTimeMS": 10000}"#)
                            _ = try client.withCollection(database: target.database, name: target.collection) { collection in
                                try collection.withFind(filter: try BSONDocument(json: "{}"), options: options, operation: "find in \(target.collection)") { cursor in
                                    try cursor.all(limit: 1)
                                }
                            }
                            lines.append(.init("MongoDB", subject, .ok, "may read"))
                        } catch {
                            lines.append(.init("MongoDB", subject, .fail, "\(error)"))
                        }
                    }
                    return lines
                }
            }
            results += outcome
        } catch {
            results.append(.init("MongoDB", "read", .fail, "\(error)"))
        }
        await pool.close()
        return results
    }

    struct Target: Hashable, Comparable, Sendable {
        let database: String
        let collection: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.database, lhs.collection) < (rhs.database, rhs.collection) }
    }
}
