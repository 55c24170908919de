import TasterCMongoC
import TasterCore
import TasterSupport

/// Writes a check's document index while its documents are read (in `_id` order): each
/// document's `_id` as stored and, per indexed field, its keyed digest (`FieldDigester`) of the
/// field's BSON element under an empty key (type, 0x00, value) — or, without an evidence key,
/// the `_id`s alone. Never throws: what cannot be written ends the index with the reason
/// (`DocumentIndexRecorder`), and the check is measured as before.
final class DocumentIndexer {
    /// The top-level names the index digests (a dotted field contributes its first segment, which
    /// the projection reduces to the configured path).
    let fields: [String]
    private let recorder: DocumentIndexRecorder
    private let keys: [[CChar]]
    private let iterator = BSONIterator()
    private let scratch = BSONDocument()
    private var digests: [UInt8] = []
    private static let idKey: [CChar] = Array("_id".utf8CString.dropLast())
    private static let emptyKey: [CChar] = [0]

    init(check: CheckDefinition, policy: EvidencePolicy) {
        fields = Array(Fingerprint.topLevelNames(of: check.fields).dropFirst())
        keys = fields.map { Array($0.utf8CString.dropLast()) }
        recorder = DocumentIndexRecorder(fields: fields, policy: policy, records: "documents")
    }

    /// Adds one document.
    func add(_ document: OpaquePointer) {
        guard recorder.admitsAnother() else { return }
        digests.removeAll(keepingCapacity: true)
        if let digester = recorder.digester {
            for key in keys {
                let present = key.withUnsafeBufferPointer { iterator.find($0, in: document) }
                guard present else {
                    digests += FieldDigester.absent
                    continue
                }
                withElement { element in digester.append(digestOf: element, to: &digests) }
            }
        }
        let found = Self.idKey.withUnsafeBufferPointer { iterator.find($0, in: document) }
        guard found else {
            recorder.skip("a document has no _id")
            return
        }
        withElement { element in
            recorder.append(idType: element[0], id: UnsafeRawBufferPointer(rebasing: element[2...]), digests: digests)
        }
    }

    /// Runs `body` with the iterator's current element under an empty key — its type, 0x00 and
    /// its value bytes — copied into a scratch document: `[length][type][0x00][value][0x00]`.
    private func withElement<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        bson_reinit(scratch.pointer)
        _ = Self.emptyKey.withUnsafeBufferPointer { key in
            iterator.append(to: scratch.pointer, key: UnsafeBufferPointer(rebasing: key[0..<0]))
        }
        return try scratch.withBytes { bytes in
            try body(UnsafeRawBufferPointer(rebasing: bytes[4..<(bytes.count - 1)]))
        }
    }

    /// The index, or why there is none.
    func finish() -> DocumentIndexOutcome {
        recorder.finish()
    }
}

@available(*, unavailable)
extension DocumentIndexer: Sendable {}
