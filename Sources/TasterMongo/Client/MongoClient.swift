import TasterCMongoC

/// A client lent by `MongoClientPool.withClient`: valid only inside that closure, on that thread.
/// Every call blocks, so run it inside `Blocking.run`.
package struct MongoClient {
    package let pointer: OpaquePointer
    package let host: String

    init(borrowing pointer: OpaquePointer, host: String) {
        self.pointer = pointer
        self.host = host
    }

    /// Runs `command` (e.g. `{"ping": 1}`) on `database` and returns the server's reply.
    package func command(_ command: BSONDocument, database: String, operation: String) throws(MongoError) -> BSONDocument {
        var error = bson_error_t()
        let (succeeded, reply) = BSONDocument.receiving { reply in
            mongoc_client_command_simple(pointer, database, command.pointer, nil, reply, &error)
        }
        guard succeeded else { throw MongoError(error, operation: operation, host: host) }
        return reply
    }

    /// Names of the collections (and views) of `database` that this user may see.
    package func collectionNames(database: String) throws(MongoError) -> Set<String> {
        let handle = mongoc_client_get_database(pointer, database)!
        defer { mongoc_database_destroy(handle) }
        // Names only, and only the collections this user may read: what the built-in `read` role allows.
        let options = BSONDocument(appending: "nameOnly", true).appending("authorizedCollections", true)
        var error = bson_error_t()
        guard let names = mongoc_database_get_collection_names_with_opts(handle, options.pointer, &error) else {
            throw MongoError(error, operation: "listing the collections of database \(database)", host: host)
        }
        defer { bson_strfreev(names) }
        var result: Set<String> = []
        var index = 0
        while let name = names[index] {
            result.insert(String(cString: name))
            index += 1
        }
        return result
    }

    /// Lends `database.name` for `body`, destroyed after.
    package func withCollection<T>(database: String, name: String, _ body: (MongoCollection) throws -> T) rethrows -> T {
        let handle = mongoc_client_get_collection(pointer, database, name)!
        defer { mongoc_collection_destroy(handle) }
        return try body(MongoCollection(borrowing: handle, namespace: "\(database).\(name)", host: host))
    }
}

@available(*, unavailable)
extension MongoClient: Sendable {}
