import Crypto
import TasterCMongoC
import TasterCore
import TasterSupport

/// Writes a check's document index while its documents are read (in `_id` order): each
/// document's `_id` as stored and, per indexed field, the first bytes of the SHA-256 of the
/// field's BSON type and value. Never throws: a failure to write (TMPDIR full) or a collection
/// over `maxDocuments` ends the index with the reason, and the check is measured as before.
final class DocumentIndexer {
    /// The top-level names the index digests (a dotted field contributes its first segment, which
    /// the projection reduces to the configured path).
    let fields: [String]
    let maxDocuments: Int64
    private var writer: DocumentIndexWriter?
    private var skipped: String?
    private let keys: [[CChar]]
    private let iterator = BSONIterator()
    private let scratch = BSONDocument()
    private var digests: [UInt8] = []
    private static let idKey: [CChar] = Array("_id".utf8CString.dropLast())
    private static let emptyKey: [CChar] = [0]

    init(check: CheckDefinition, policy: EvidencePolicy) {
        fields = Array(Fingerprint.topLevelNames(of: check.fields).dropFirst())
        maxDocuments = policy.maxDocuments
        keys = fields.map { Array($0.utf8CString.dropLast()) }
        do {
            writer = try DocumentIndexWriter(fields: fields)
        } catch {
            skipped = "\(error)"
        }
    }

    /// Adds one document.
    func add(_ document: OpaquePointer) {
        guard let writer else { return }
        if writer.documents >= maxDocuments {
            self.writer = nil
            skipped = "more than \(maxDocuments) documents (TASTER_EVIDENCE_MAX_DOCUMENTS): the check is judged by its value alone"
            return
        }
        digests.removeAll(keepingCapacity: true)
        for key in keys {
            let present = key.withUnsafeBufferPointer { iterator.find($0, in: document) }
            guard present else {
                digests += [0, 0, 0, 0]
                continue
            }
            withValue { type, value in
                var hasher = SHA256()
                hasher.update(data: [type])
                hasher.update(bufferPointer: value)
                var prefix = Array(hasher.finalize().prefix(DocumentIndexFormat.digestBytes))
                // 00000000 means "absent".
                if prefix.allSatisfy({ $0 == 0 }) { prefix[prefix.count - 1] = 1 }
                digests += prefix
            }
        }
        let found = Self.idKey.withUnsafeBufferPointer { iterator.find($0, in: document) }
        guard found else {
            self.writer = nil
            skipped = "a document has no _id"
            return
        }
        do {
            try withValue { type, value in try writer.append(idType: type, id: value, digests: digests) }
        } catch {
            self.writer = nil
            skipped = "\(error)"
        }
    }

    /// Runs `body` with the type and value bytes of the iterator's current element, copied into
    /// a scratch document under an empty key: `[length][type][0x00][value][0x00]`.
    private func withValue<T>(_ body: (UInt8, UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        bson_reinit(scratch.pointer)
        _ = Self.emptyKey.withUnsafeBufferPointer { key in
            iterator.append(to: scratch.pointer, key: UnsafeBufferPointer(rebasing: key[0..<0]))
        }
        return try scratch.withBytes { bytes in
            try body(bytes[4], UnsafeRawBufferPointer(rebasing: bytes[6..<(bytes.count - 1)]))
        }
    }

    /// The index, or why there is none.
    func finish() -> DocumentIndexOutcome {
        guard let writer else { return .skipped(skipped ?? "the index was not written") }
        do {
            return .indexed(try writer.finish())
        } catch {
            return .skipped("\(error)")
        }
    }
}

@available(*, unavailable)
extension DocumentIndexer: Sendable {}
