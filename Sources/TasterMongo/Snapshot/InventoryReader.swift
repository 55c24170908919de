import FoundationEssentials
import Logging
import TasterCore
import TasterSupport

/// Reads `DatabaseInventory`: one `listCollections` with every option, then for each collection
/// its `listIndexes` and estimated count — spread over up to `concurrency` pooled connections
/// when there are many collections. Everything is allowed by the built-in `read` role.
///
/// What the server refuses (not authorized, an unsupported command) is recorded in the
/// inventory's `problems` and the collection's, in words, and the reading carries on: the
/// comparison then says "unknown" for what is missing, never "unchanged". A lost connection or a
/// timeout throws, as for any check.
package struct InventoryReader: Sendable {
    package var database: String
    package var deadline: Deadline
    package var logger: Logger
    package var concurrency: Int

    /// How many collections one connection reads before another one is worth its SCRAM
    /// handshake.
    static let collectionsPerConnection = 40

    package init(database: String, deadline: Deadline, logger: Logger, concurrency: Int = Snapshotter.defaultConcurrency) {
        self.database = database
        self.deadline = deadline
        self.logger = logger
        self.concurrency = max(1, concurrency)
    }

    package func read(pool: MongoClientPool, rules: StructurePolicy?) async throws -> DatabaseInventory {
        let clock = ContinuousClock()
        let started = clock.now
        let database = database
        let listed: Result<[ListedCollection], MongoError> = try await Blocking.run(
            until: deadline, step: "the inventory (listCollections on \(database))"
        ) {
            try pool.withClient { client in
                do throws(MongoError) {
                    return .success(try client.listCollections(database: database).compactMap(ListedCollection.init))
                } catch {
                    guard Self.isRefusal(error) else { throw error }
                    return .failure(error)
                }
            }
        }
        let collections: [ListedCollection]
        switch listed {
        case .success(let found):
            // By name: reports of the same database read alike, whatever order the server lists.
            collections = found.sorted { $0.name < $1.name }
        case .failure(let error):
            let problem = "listCollections on \(database) refused: \(error.detail)"
            logger.warning("the inventory: \(problem); the structure of \(database) is unknown (grant the `read` role on it)")
            return DatabaseInventory(
                database: database, collections: nil, problems: [problem], durationSeconds: started.duration(to: clock.now).seconds,
                rules: rules)
        }
        let workers = min(concurrency, max(1, (collections.count + Self.collectionsPerConnection - 1) / Self.collectionsPerConnection))
        var described = [CollectionInventory?](repeating: nil, count: collections.count)
        try await withThrowingTaskGroup(of: [(Int, CollectionInventory)].self) { group in
            for worker in 0..<workers {
                let mine = Array(stride(from: worker, to: collections.count, by: workers))
                group.addTask { [deadline] in
                    try await Blocking.run(until: deadline, step: "the inventory (listIndexes on \(database))") {
                        try pool.withClient { client in
                            try mine.compactMap { index in
                                try Self.describe(collections[index], database: database, client: client).map { (index, $0) }
                            }
                        }
                    }
                }
            }
            for try await batch in group {
                for (index, collection) in batch { described[index] = collection }
            }
        }
        let inventory = DatabaseInventory(
            database: database, collections: described.compactMap { $0 },
            problems: described.compactMap { $0?.problems }.flatMap { $0 },
            durationSeconds: started.duration(to: clock.now).seconds, rules: rules)
        if let problems = inventory.problems {
            logger.warning(
                "the inventory: the server refused \(problems.count) read\(problems.count == 1 ? "" : "s") (\(problems.prefix(3).joined(separator: "; "))\(problems.count > 3 ? "; …" : "")); their structure rows will be \"unknown\""
            )
        }
        logger.info(
            "inventory taken",
            metadata: [
                "database": .string(database), "collections": .stringConvertible(inventory.collections?.count ?? 0),
                "indexes": .stringConvertible(inventory.indexCount),
                "seconds": .string(TextFormatting.fixed(inventory.durationSeconds, 2)),
            ])
        return inventory
    }

    /// One entry of `listCollections`, system collections aside.
    struct ListedCollection: Sendable {
        var name: String
        var type: CollectionInventory.Kind
        var options: [String: String]

        init(name: String, type: CollectionInventory.Kind, options: [String: String] = [:]) {
            self.name = name
            self.type = type
            self.options = options
        }

        init?(_ document: BSONDocument) {
            guard case .string(let name)? = document["name"], !name.hasPrefix("system.") else { return nil }
            let options = document.document(at: "options")
            self.name = name
            self.options = Dictionary(options?.relaxedFields.map { ($0.key, $0.json) } ?? [], uniquingKeysWith: { first, _ in first })
            switch document["type"] {
            case .string("view")?: type = .view
            case .string("timeseries")?: type = .timeseries
            // Some servers list a time-series collection as a collection with `timeseries` options.
            default: type = self.options["timeseries"] == nil ? .collection : .timeseries
            }
        }
    }

    /// A collection's indexes and estimated count; what the server refuses becomes a problem.
    /// Nil when the collection went away after `listCollections` listed it (dropped while the
    /// inventory was read): it is then absent, as the next inventory will find it, rather than
    /// a collection whose every index was dropped.
    static func describe(_ listed: ListedCollection, database: String, client: MongoClient) throws -> CollectionInventory? {
        var problems: [String] = []
        var indexes: [IndexSpec]?
        var count: Int64?
        var wentAway = false
        if listed.type == .view {
            indexes = []
        } else {
            try client.withCollection(database: database, name: listed.name) { collection in
                do throws(MongoError) {
                    indexes = try collection.listIndexes().compactMap { document in
                        guard case .string(let name)? = document["name"] else { return nil }
                        let spec = document.relaxedFields.filter { $0.key != "name" }
                        return IndexSpec(name: name, spec: Dictionary(spec.map { ($0.key, $0.json) }, uniquingKeysWith: { first, _ in first }))
                    }
                } catch {
                    if error.code == namespaceNotFound {
                        wentAway = true
                        return
                    }
                    guard isRefusal(error) else { throw error }
                    problems.append("listIndexes on \(database).\(listed.name) refused: \(error.detail)")
                }
                // Every collection but a clustered one has its `_id_` index: none at all (what some
                // servers answer for a collection that no longer exists) means look again.
                if indexes?.isEmpty == true, listed.type == .collection, listed.options["clusteredIndex"] == nil {
                    wentAway = try !client.listCollections(database: database, nameOnly: true).contains { $0["name"] == .string(listed.name) }
                }
                guard !wentAway else { return }
                do throws(MongoError) {
                    count = try collection.estimatedDocumentCount(options: nil, operation: "estimated count of \(database).\(listed.name)")
                } catch {
                    guard isRefusal(error) else { throw error }
                    problems.append("the estimated count of \(database).\(listed.name) refused: \(error.detail)")
                }
            }
        }
        guard !wentAway else { return nil }
        return CollectionInventory(
            name: listed.name, type: listed.type, options: listed.options, estimatedCount: count, indexes: indexes,
            problems: problems)
    }

    /// The server's code for a collection that does not exist.
    static let namespaceNotFound: UInt32 = 26

    /// An answer the inventory carries on after: the server refused this command (not
    /// authorized, not supported, the collection just went away), as opposed to a lost server.
    static func isRefusal(_ error: MongoError) -> Bool {
        switch error.kind {
        case .authorization, .server, .rejected: true
        default: false
        }
    }
}
