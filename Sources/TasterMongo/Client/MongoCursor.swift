import TasterCMongoC

/// A cursor lent by `MongoCollection.withFind`/`withAggregate`: valid only inside that closure.
package struct MongoCursor {
    package let pointer: OpaquePointer
    let operation: String
    let host: String

    init(borrowing pointer: OpaquePointer, operation: String, host: String) {
        self.pointer = pointer
        self.operation = operation
        self.host = host
    }

    /// The next document, borrowed until the next call (copy it with `BSONDocument(copying:)`
    /// to keep it); nil at the end. Throws what went wrong instead of ending early.
    package mutating func next() throws(MongoError) -> OpaquePointer? {
        var document: OpaquePointer?
        if mongoc_cursor_next(pointer, &document) { return document }
        var error = bson_error_t()
        if mongoc_cursor_error(pointer, &error) {
            throw MongoError(error, operation: operation, host: host)
        }
        return nil
    }

    /// Every remaining document, copied. For small results (an aggregation's one document).
    package mutating func all(limit: Int) throws(MongoError) -> [BSONDocument] {
        var documents: [BSONDocument] = []
        while documents.count < limit, let document = try next() {
            documents.append(BSONDocument(copying: document))
        }
        return documents
    }
}

@available(*, unavailable)
extension MongoCursor: Sendable {}
