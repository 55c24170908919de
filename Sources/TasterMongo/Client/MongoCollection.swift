import TasterCMongoC

/// A collection lent by `MongoClient.withCollection`: valid only inside that closure.
package struct MongoCollection {
    package let pointer: OpaquePointer
    /// `database.collection`, for messages.
    package let namespace: String
    package let host: String

    init(borrowing pointer: OpaquePointer, namespace: String, host: String) {
        self.pointer = pointer
        self.namespace = namespace
        self.host = host
    }

    /// The exact `countDocuments(filter)`: an aggregation on the server, retried once by
    /// libmongoc on a network error (retryable reads).
    package func countDocuments(filter: BSONDocument, options: BSONDocument?, operation: String) throws(MongoError) -> Int64 {
        var error = bson_error_t()
        let count = mongoc_collection_count_documents(pointer, filter.pointer, options?.pointer, nil, nil, &error)
        guard count >= 0 else { throw MongoError(error, operation: operation, host: host) }
        return count
    }

    /// The count from the collection's metadata: fast, not exact.
    package func estimatedDocumentCount(options: BSONDocument?, operation: String) throws(MongoError) -> Int64 {
        var error = bson_error_t()
        let count = mongoc_collection_estimated_document_count(pointer, options?.pointer, nil, nil, &error)
        guard count >= 0 else { throw MongoError(error, operation: operation, host: host) }
        return count
    }

    /// Runs `pipeline` (`{"pipeline": [...]}`) and lends its cursor to `body`.
    package func withAggregate<T>(
        pipeline: BSONDocument, options: BSONDocument?, operation: String,
        _ body: (inout MongoCursor) throws -> T
    ) rethrows -> T {
        let cursor = mongoc_collection_aggregate(pointer, MONGOC_QUERY_NONE, pipeline.pointer, options?.pointer, nil)!
        defer { mongoc_cursor_destroy(cursor) }
        var lent = MongoCursor(borrowing: cursor, operation: operation, host: host)
        return try body(&lent)
    }

    /// Runs `find(filter)` with `options` (projection, batchSize, maxTimeMS) and lends its cursor.
    package func withFind<T>(
        filter: BSONDocument, options: BSONDocument?, operation: String,
        _ body: (inout MongoCursor) throws -> T
    ) rethrows -> T {
        let cursor = mongoc_collection_find_with_opts(pointer, filter.pointer, options?.pointer, nil)!
        defer { mongoc_cursor_destroy(cursor) }
        var lent = MongoCursor(borrowing: cursor, operation: operation, host: host)
        return try body(&lent)
    }
}

@available(*, unavailable)
extension MongoCollection: Sendable {}
