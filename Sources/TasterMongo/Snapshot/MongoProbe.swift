import Logging
import TasterCore
import TasterSupport

/// `taster check` for MongoDB: the checks file is valid, taster authenticates, it may read each
/// collection it will measure (a `find` of one document, which the built-in `read` role allows),
/// and every check guards something: a collection that does not exist fails unless each check of
/// it says `allowMissing: true` (pre-taste refuses it), and so does a measured field that no
/// document matching the check's filter holds (a misspelled field sums to 0 == 0 forever).
package struct MongoProbe: DependencyProbe {
    let settings: MongoSettings
    let deadline: Deadline
    let logger: Logger
    /// How long to wait for MongoDB here (a check should answer quickly).
    static let wait: Duration = .seconds(15)

    package init(settings: MongoSettings, deadline: Deadline, logger: Logger) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
    }

    package func run() async -> [CheckFinding] {
        var results: [CheckFinding] = []
        let plan: SnapshotPlan
        do {
            plan = try SnapshotPlan(settings: settings)
            let extra = plan.checks.count - (plan.discoversCollections ? 0 : settings.collections.count)
            results.append(
                .init("MongoDB", "checks", .ok, settings.checksFile.map { "\($0): valid" + (extra > 0 ? ", \(extra) checks" : "") } ?? "default counts only"))
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
                            let names = existing[target.database] ?? []
                            guard names.contains(target.collection) else {
                                lines.append(Self.missing(target, checks: plan.checks, existing: names))
                                continue
                            }
                            let options = try BSONDocument(json: #"{"limit": 1, "projection": {"_id": 1}, "maxTimeMS": 10000}"#)
                            _ = try client.withCollection(database: target.database, name: target.collection) { collection in
                                try collection.withFind(filter: try BSONDocument(json: "{}"), options: options, operation: "find in \(target.collection)") {
                                    cursor in
                                    try cursor.all(limit: 1)
                                }
                            }
                            lines.append(.init("MongoDB", subject, .ok, "may read"))
                            let checks = plan.checks.filter { $0.database == target.database && $0.collection == target.collection }
                            lines += client.withCollection(database: target.database, name: target.collection) { collection in
                                checks.flatMap { Self.fields(of: $0, in: collection) }
                            }
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

    /// The line for a collection that does not exist: OK when every check of it allows that,
    /// else FAIL naming the checks pre-taste would refuse.
    static func missing(_ target: Target, checks: [CheckDefinition], existing: Set<String>) -> CheckFinding {
        let subject = "read \(target.database).\(target.collection)"
        let concerned = checks.filter { $0.database == target.database && $0.collection == target.collection }
        let refused = concerned.filter { !$0.allowMissing }
        guard !refused.isEmpty else {
            return .init("MongoDB", subject, .ok, "the collection does not exist, which its checks allow (allowMissing: true)")
        }
        let similar = MissingCollectionError.similar(to: target.collection, among: existing)
        let hint = similar.isEmpty ? "" : " (did you mean \(similar.joined(separator: " or "))?)"
        return .init(
            "MongoDB", subject, .fail,
            "the collection does not exist\(hint): "
                + refused.map(\.origin).joined(separator: "; ")
                + " would guard nothing, and pre-taste refuses it (exit 2); fix the collection name, or set `allowMissing: true` "
                + "on a check whose collection may legitimately not exist")
    }

    /// Whether any document matching the check's filter holds each field the check measures: a
    /// `find` of one document with the field, and when there is none, of one without it. FAIL
    /// when documents match but none has the field; WARN when no document matches (nothing to
    /// tell by) or MongoDB could not answer in time.
    static func fields(of check: CheckDefinition, in collection: MongoCollection) -> [CheckFinding] {
        let fields: [String]
        switch check.kind {
        case .sum, .min, .max, .distinctCount: fields = check.field.map { [$0] } ?? []
        case .fingerprint: fields = check.fields
        case .count, .estimatedCount, .aggregate, .query: fields = []
        }
        let subject = "check \"\(check.name)\""
        var absent: [String] = []
        for field in fields {
            let exists = "{\(ExtendedJSONText.quote(field)): {\"$exists\": true}}"
            do {
                if try any(check.filter.map { "{\"$and\": [\($0), \(exists)]}" } ?? exists, in: collection, check: check) { continue }
                guard try any(check.filter ?? "{}", in: collection, check: check) else {
                    return [
                        .init(
                            "MongoDB", subject, .warn,
                            "no document of \(collection.namespace) matches the check's filter yet, "
                                + "so whether they have \(fields.joined(separator: ", ")) cannot be told")
                    ]
                }
                absent.append(field)
            } catch {
                return [.init("MongoDB", subject, .warn, "could not tell whether documents have \(field): \(error)")]
            }
        }
        guard absent.isEmpty else {
            let result = CheckResult(
                name: check.name, kind: check.kind, database: check.database, collection: check.collection,
                value: nil, durationSeconds: 0, absentFields: absent)
            return [.init("MongoDB", subject, .fail, (result.absentFieldsWarning ?? "") + " (\(check.origin))")]
        }
        return fields.isEmpty ? [] : [.init("MongoDB", subject, .ok, "documents have \(fields.joined(separator: ", "))")]
    }

    /// Whether any document matches `filter` (extended JSON); bounded to 10 s.
    static func any(_ filter: String, in collection: MongoCollection, check: CheckDefinition) throws -> Bool {
        let options = try BSONDocument(json: #"{"limit": 1, "projection": {"_id": 1}, "maxTimeMS": 10000}"#)
        return try collection.withFind(
            filter: try BSONDocument(json: filter), options: options,
            operation: "find in \(collection.namespace) for check \"\(check.name)\""
        ) { cursor in
            try cursor.all(limit: 1)
        }.isEmpty == false
    }

    struct Target: Hashable, Comparable, Sendable {
        let database: String
        let collection: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.database, lhs.collection) < (rhs.database, rhs.collection) }
    }
}
