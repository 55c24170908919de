import TasterCMongoC

extension BSONDocument {
    /// The value at `path` (`a` or `a.b`, through embedded documents), or nil when absent.
    package subscript(path: String) -> BSONValue? {
        let iterator = BSONIterator()
        return iterator.find(path: path, in: pointer) ? iterator.value : nil
    }

    /// The top-level keys, in order.
    package var keys: [String] {
        let iterator = BSONIterator()
        guard bson_iter_init(iterator.pointer, pointer) else { return [] }
        var keys: [String] = []
        while bson_iter_next(iterator.pointer) {
            keys.append(String(cString: bson_iter_key(iterator.pointer)))
        }
        return keys
    }

    /// The documents in the array at top-level `key`; nil when `key` is not an array of documents.
    package func documents(inArray key: String) -> [BSONDocument]? {
        let iterator = BSONIterator()
        let element = BSONIterator()
        guard bson_iter_init_find(iterator.pointer, pointer, key), bson_iter_type(iterator.pointer) == BSON_TYPE_ARRAY,
            bson_iter_recurse(iterator.pointer, element.pointer)
        else { return nil }
        var documents: [BSONDocument] = []
        while bson_iter_next(element.pointer) {
            guard bson_iter_type(element.pointer) == BSON_TYPE_DOCUMENT else { return nil }
            var length: UInt32 = 0
            var data: UnsafePointer<UInt8>?
            bson_iter_document(element.pointer, &length, &data)
            guard let data, let copy = bson_new_from_data(data, Int(length)) else { return nil }
            documents.append(BSONDocument(stealing: copy))
        }
        return documents
    }
}

extension BSONDocument {
    /// The value at top-level `key` as canonical extended JSON (`"abc"`, `{"$date": ...}`).
    package func canonicalJSON(at key: String) -> String? {
        let iterator = BSONIterator()
        return iterator.find(path: key, in: pointer) ? iterator.canonicalJSON : nil
    }
}

extension BSONDocument {
    /// Each top-level field with its value as relaxed extended JSON, in order: how the inventory
    /// keeps options and index specs.
    package var relaxedFields: [(key: String, json: String)] {
        let iterator = BSONIterator()
        guard bson_iter_init(iterator.pointer, pointer) else { return [] }
        var fields: [(key: String, json: String)] = []
        while bson_iter_next(iterator.pointer) {
            fields.append((String(cString: bson_iter_key(iterator.pointer)), iterator.relaxedJSON))
        }
        return fields
    }

    /// The embedded document at top-level `key`, copied; nil when absent or not a document.
    package func document(at key: String) -> BSONDocument? {
        let iterator = BSONIterator()
        guard bson_iter_init_find(iterator.pointer, pointer, key), bson_iter_type(iterator.pointer) == BSON_TYPE_DOCUMENT else {
            return nil
        }
        var length: UInt32 = 0
        var data: UnsafePointer<UInt8>?
        bson_iter_document(iterator.pointer, &length, &data)
        guard let data, let copy = bson_new_from_data(data, Int(length)) else { return nil }
        return BSONDocument(stealing: copy)
    }
}
