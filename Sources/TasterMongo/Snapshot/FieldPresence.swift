import TasterCMongoC

/// Which of a fingerprint's fields any document holds, learnt while the documents are digested:
/// a field that no document holds (usually a misspelling) makes the check guard nothing. Each
/// field is looked up only until a document holds it, so a check whose fields are all present
/// pays for one lookup per field, not one per document.
///
/// A dotted path `a.b` reaches into embedded documents and, as MongoDB's paths do, into the
/// documents inside arrays (`items.sku` is held when any element of `items` has `sku`).
final class FieldPresence {
    private let paths: [(field: String, segments: [String])]
    private var seen: [Bool]
    private var unseen: Int

    init(fields: [String]) {
        paths = fields.map { ($0, $0.split(separator: ".").map(String.init)) }
        seen = Array(repeating: false, count: fields.count)
        unseen = fields.count
    }

    /// The fields no observed document held, in the configured order.
    var absent: [String] {
        zip(paths, seen).filter { !$0.1 }.map(\.0.field)
    }

    /// Notes which fields `document` holds.
    func observe(_ document: OpaquePointer) {
        guard unseen > 0 else { return }
        for index in paths.indices where !seen[index] {
            guard bson_iter_init(top.pointer, document) else { return }
            if Self.holds(paths[index].segments[...], from: top, isArray: false) {
                seen[index] = true
                unseen -= 1
            }
        }
    }

    /// Reused for every document's top level (nested levels get their own).
    private let top = BSONIterator()

    /// Whether what `iterator` is about to iterate (a document's or array's elements) holds `path`.
    static func holds(_ path: ArraySlice<String>, from iterator: BSONIterator, isArray: Bool) -> Bool {
        guard let key = path.first else { return true }
        if isArray {
            // Each element that is a document is looked into with the same path.
            while bson_iter_next(iterator.pointer) {
                if bson_iter_type(iterator.pointer) == BSON_TYPE_DOCUMENT, holdsInside(iterator, path) { return true }
            }
            return false
        }
        guard bson_iter_find(iterator.pointer, key) else { return false }
        return path.count == 1 || holdsInside(iterator, path.dropFirst())
    }

    /// Whether the document or array the iterator is on holds `path`.
    private static func holdsInside(_ iterator: BSONIterator, _ path: ArraySlice<String>) -> Bool {
        let type = bson_iter_type(iterator.pointer)
        guard type == BSON_TYPE_DOCUMENT || type == BSON_TYPE_ARRAY else { return false }
        let child = BSONIterator()
        guard bson_iter_recurse(iterator.pointer, child.pointer) else { return false }
        return holds(path, from: child, isArray: type == BSON_TYPE_ARRAY)
    }
}

@available(*, unavailable)
extension FieldPresence: Sendable {}
