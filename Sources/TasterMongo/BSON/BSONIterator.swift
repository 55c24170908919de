import TasterCMongoC

/// Owns the storage of a `bson_iter_t` (128-byte aligned, so Swift cannot keep one on its stack)
/// and reads values through libbson. Reusable across documents: a hot loop makes one iterator,
/// not one per document.
package final class BSONIterator {
    package let pointer: OpaquePointer
    private let storage: UnsafeMutableRawPointer
    private let child: UnsafeMutableRawPointer

    package init() {
        storage = UnsafeMutableRawPointer.allocate(byteCount: taster_bson_iter_size(), alignment: 128)
        child = UnsafeMutableRawPointer.allocate(byteCount: taster_bson_iter_size(), alignment: 128)
        pointer = OpaquePointer(storage)
    }

    deinit {
        storage.deallocate()
        child.deallocate()
    }

    /// Positions the iterator on top-level `key` of `document`; false when there is none.
    package func find(_ key: UnsafeBufferPointer<CChar>, in document: OpaquePointer) -> Bool {
        bson_iter_init_find_w_len(pointer, document, key.baseAddress, Int32(key.count))
    }

    /// Positions the iterator on `path` (`a` or `a.b.c`, through embedded documents) of `document`.
    package func find(path: String, in document: OpaquePointer) -> Bool {
        guard path.contains(".") else {
            return path.utf8CString.withUnsafeBufferPointer { find(UnsafeBufferPointer(rebasing: $0.dropLast()), in: document) }
        }
        let descendant = OpaquePointer(child)
        guard bson_iter_init(pointer, document), bson_iter_find_descendant(pointer, path, descendant) else { return false }
        storage.copyMemory(from: child, byteCount: taster_bson_iter_size())
        return true
    }

    /// The current value.
    var value: BSONValue {
        switch bson_iter_type(pointer) {
        case BSON_TYPE_INT32: return .int32(bson_iter_int32(pointer))
        case BSON_TYPE_INT64: return .int64(bson_iter_int64(pointer))
        case BSON_TYPE_DOUBLE: return .double(bson_iter_double(pointer))
        case BSON_TYPE_DECIMAL128:
            var decimal = bson_decimal128_t()
            guard bson_iter_decimal128(pointer, &decimal) else { return .other(canonicalJSON) }
            var text = [CChar](repeating: 0, count: Int(BSON_DECIMAL128_STRING))
            bson_decimal128_to_string(&decimal, &text)
            return .decimal128(String(nulTerminated: text))
        case BSON_TYPE_UTF8:
            var length: UInt32 = 0
            guard let text = bson_iter_utf8(pointer, &length) else { return .string("") }
            return .string(String(decoding: UnsafeRawBufferPointer(start: text, count: Int(length)), as: UTF8.self))
        case BSON_TYPE_BOOL: return .bool(bson_iter_bool(pointer))
        case BSON_TYPE_DATE_TIME: return .dateTime(bson_iter_date_time(pointer))
        case BSON_TYPE_OID:
            var text = [CChar](repeating: 0, count: 25)
            bson_oid_to_string(bson_iter_oid(pointer), &text)
            return .objectID(String(nulTerminated: text))
        case BSON_TYPE_NULL, BSON_TYPE_UNDEFINED: return .null
        default: return .other(canonicalJSON)
        }
    }

    /// The current value as canonical extended JSON (`{"$numberInt": "5"}`, `[1, 2]`).
    var canonicalJSON: String { json(relaxed: false) }

    /// The current value as relaxed extended JSON (`5`, `1.5`, `{ "email" : 1 }`), for people.
    var relaxedJSON: String { json(relaxed: true) }

    private func json(relaxed: Bool) -> String {
        let wrapper = bson_new()!
        defer { bson_destroy(wrapper) }
        guard bson_append_iter(wrapper, "v", 1, pointer) else { return "null" }
        // `{ "v" : VALUE }` -> `VALUE`
        let json: String
        if relaxed {
            guard let text = bson_as_relaxed_extended_json(wrapper, nil) else { return "null" }
            defer { bson_free(text) }
            json = String(cString: text)
        } else {
            json = BSONDocument.canonicalJSON(wrapper)
        }
        let prefix = "{ \"v\" : "
        let suffix = " }"
        guard json.hasPrefix(prefix), json.hasSuffix(suffix) else { return json }
        return String(json.dropFirst(prefix.count).dropLast(suffix.count))
    }

    /// Appends the current value to `document` under `key` (bytes copied as stored).
    package func append(to document: OpaquePointer, key: UnsafeBufferPointer<CChar>) -> Bool {
        bson_append_iter(document, key.baseAddress, Int32(key.count), pointer)
    }
}

@available(*, unavailable)
extension BSONIterator: Sendable {}

extension String {
    /// Text from a C character buffer libbson filled, up to its NUL.
    package init(nulTerminated buffer: [CChar]) {
        self.init(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
