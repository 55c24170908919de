import Crypto
import TasterCMongoC
import TasterCore
import TasterSupport

/// An order-independent digest of a set of documents that changes when any chosen field of any
/// document changes, and not when documents are reordered or other fields change.
///
/// Canonical encoding of one document: the BSON document made of its `_id` followed by the
/// top-level fields the projection returned for the configured fields — in the configured order,
/// each element copied as stored (type and bytes); a field the document lacks is left out. A dotted
/// path `a.b` contributes the projected `a` (MongoDB keeps only `b` inside it, also inside arrays).
/// The digest is the sum, modulo 2^256, of the SHA-256 of every document's encoding read as a
/// big-endian integer: a sum rather than XOR, so two identical documents do not cancel out.
/// A change of a value's BSON type (int32 5 to int64 5) is a change.
struct Fingerprint {
    private var total = DigestSum()
    var documents: Int64 { total.count }

    /// Adds one document's SHA-256.
    mutating func add(_ digest: SHA256.Digest) { total.add(digest) }

    /// 64 lowercase hex digits.
    var hex: String { total.hex }

    /// The top-level names the canonical encoding takes from a projected document: `_id`, then
    /// the first segment of each configured field, once, in order.
    static func topLevelNames(of fields: [String]) -> [String] {
        var names = ["_id"]
        for field in fields {
            let top = String(field.split(separator: ".", maxSplits: 1)[0])
            if !names.contains(top) { names.append(top) }
        }
        return names
    }

    /// Digests every document `cursor` returns (projected to `_id` and the fields), noting in
    /// `presence` which fields they hold. Blocking; checks `cancellation` and the deadline every
    /// 1024 documents.
    static func digest(
        _ cursor: inout MongoCursor, fields: [String], cancellation: CancellationFlag,
        deadline: Deadline, step: String, presence: FieldPresence? = nil, indexer: DocumentIndexer? = nil
    ) throws -> Fingerprint {
        let keys = topLevelNames(of: fields).map { Array($0.utf8CString.dropLast()) }
        let iterator = BSONIterator()
        let canonical = BSONDocument()
        var fingerprint = Fingerprint()
        while let document = try cursor.next() {
            presence?.observe(document)
            indexer?.add(document)
            bson_reinit(canonical.pointer)
            for key in keys {
                key.withUnsafeBufferPointer { name in
                    if iterator.find(name, in: document) { _ = iterator.append(to: canonical.pointer, key: name) }
                }
            }
            canonical.withBytes { bytes in
                var hasher = SHA256()
                hasher.update(bufferPointer: bytes)
                fingerprint.add(hasher.finalize())
            }
            if fingerprint.documents & 1023 == 0 {
                if cancellation.isCancelled { throw CancellationError() }
                try deadline.check(step)
            }
        }
        return fingerprint
    }
}
