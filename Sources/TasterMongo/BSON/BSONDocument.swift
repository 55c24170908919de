import TasterCMongoC

/// Owns one heap-allocated `bson_t` and destroys it exactly once.
///
/// `init(stealing:)` takes over a pointer from `bson_new`/`bson_copy`/`bson_new_from_json`;
/// `init(copying:)` copies a document libmongoc only lends (a cursor's current document).
package final class BSONDocument {
    package let pointer: OpaquePointer

    /// An empty document.
    package init() {
        pointer = bson_new()
    }

    /// Takes ownership of a heap `bson_t` (from `bson_new`, `bson_copy`, `bson_new_from_json`).
    init(stealing pointer: OpaquePointer) {
        self.pointer = pointer
    }

    /// Copies a borrowed document.
    init(copying pointer: OpaquePointer) {
        self.pointer = bson_copy(pointer)
    }

    /// Parses relaxed or canonical extended JSON, e.g. `{"status": "paid", "n": {"$gt": 5}}`.
    package convenience init(json: String) throws(MongoError) {
        MongoRuntime.initialized
        var error = bson_error_t()
        let parsed = json.withCString { text in
            bson_new_from_json(UnsafeRawPointer(text).assumingMemoryBound(to: UInt8.self), -1, &error)
        }
        guard let parsed else {
            throw MongoError(error, origin: .json, operation: "parsing extended JSON", host: nil)
        }
        self.init(stealing: parsed)
    }

    /// A one-field document, e.g. `BSONDocument(appending: "ping", 1)`.
    package convenience init(appending key: String, _ value: Int32) {
        self.init()
        appending(key, value)
    }

    package convenience init(appending key: String, _ value: Bool) {
        self.init()
        appending(key, value)
    }

    deinit {
        bson_destroy(pointer)
    }

    @discardableResult
    package func appending(_ key: String, _ value: Int32) -> BSONDocument {
        bson_append_int32(pointer, key, -1, value)
        return self
    }

    @discardableResult
    package func appending(_ key: String, _ value: Int64) -> BSONDocument {
        bson_append_int64(pointer, key, -1, value)
        return self
    }

    @discardableResult
    package func appending(_ key: String, _ value: Bool) -> BSONDocument {
        bson_append_bool(pointer, key, -1, value)
        return self
    }

    @discardableResult
    package func appending(_ key: String, _ value: BSONDocument) -> BSONDocument {
        bson_append_document(pointer, key, -1, value.pointer)
        return self
    }

    /// Canonical extended JSON: exact types (`{"$numberLong": "5"}`), for round trips.
    package var canonicalJSON: String { BSONDocument.canonicalJSON(pointer) }

    /// Relaxed extended JSON (`5`, `1.5`), for people.
    package var relaxedJSON: String {
        guard let text = bson_as_relaxed_extended_json(pointer, nil) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    static func canonicalJSON(_ pointer: OpaquePointer) -> String {
        guard let text = bson_as_canonical_extended_json(pointer, nil) else { return "{}" }
        defer { bson_free(text) }
        return String(cString: text)
    }

    /// The document's bytes (length prefix included), borrowed for `body`.
    package func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try BSONDocument.withBytes(of: pointer, body)
    }

    package static func withBytes<T>(of pointer: OpaquePointer, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let data = bson_get_data(pointer)!
        // A BSON document starts with its total length, a little-endian int32.
        let length = Int(UInt32(data[0]) | UInt32(data[1]) << 8 | UInt32(data[2]) << 16 | UInt32(data[3]) << 24)
        return try body(UnsafeRawBufferPointer(start: data, count: length))
    }

    /// Runs `body` with storage for a `bson_t` that a libmongoc call initialises (a command's
    /// reply), then copies the result into an owned document and frees the storage.
    static func receiving<T>(_ body: (OpaquePointer) throws -> T) rethrows -> (T, BSONDocument) {
        let storage = UnsafeMutableRawPointer.allocate(byteCount: taster_bson_size(), alignment: 128)
        defer { storage.deallocate() }
        // libmongoc always initialises a reply it is given, on success and on failure.
        bson_init(OpaquePointer(storage))
        let reply = OpaquePointer(storage)
        defer { bson_destroy(reply) }
        let result = try body(reply)
        return (result, BSONDocument(copying: reply))
    }
}

@available(*, unavailable)
extension BSONDocument: Sendable {}
