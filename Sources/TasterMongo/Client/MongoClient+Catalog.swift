import TasterCMongoC

/// The catalog reads of the inventory: `listCollections` with every option, and `listIndexes`.
/// Both are allowed by the built-in `read` role.
extension MongoClient {
    /// Every collection and view of `database` as `listCollections` describes it (`name`, `type`,
    /// `options`, `info`, `idIndex`); with `nameOnly`, `name` and `type` only.
    package func listCollections(database: String, nameOnly: Bool = false) throws(MongoError) -> [BSONDocument] {
        let handle = mongoc_client_get_database(pointer, database)!
        defer { mongoc_database_destroy(handle) }
        let options = nameOnly ? BSONDocument(appending: "nameOnly", true).appending("authorizedCollections", true) : nil
        let cursor = mongoc_database_find_collections_with_opts(handle, options?.pointer)!
        defer { mongoc_cursor_destroy(cursor) }
        var lent = MongoCursor(borrowing: cursor, operation: "listCollections on database \(database)", host: host)
        return try lent.all(limit: .max)
    }
}

extension MongoCollection {
    /// Every index's spec, as `listIndexes` describes it.
    package func listIndexes() throws(MongoError) -> [BSONDocument] {
        let cursor = mongoc_collection_find_indexes_with_opts(pointer, nil)!
        defer { mongoc_cursor_destroy(cursor) }
        var lent = MongoCursor(borrowing: cursor, operation: "listIndexes on \(namespace)", host: host)
        return try lent.all(limit: .max)
    }
}
