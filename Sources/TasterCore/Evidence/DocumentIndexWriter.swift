import Crypto
import TasterSupport

/// Writes a document index (`DocumentIndexFormat`) to a spool file as documents are read, and
/// its SHA-256 on the way. Memory stays at the spool's buffer whatever the document count.
package final class DocumentIndexWriter {
    package let fields: [String]
    /// The id of the key the digests are made with; nil for an index of `_id`s only.
    package let keyID: String?
    private let spool: SpoolWriter
    private var hasher = SHA256()
    private var record: [UInt8] = []
    private(set) package var documents: Int64 = 0

    /// A writer of an index of `fields` digested under the key `keyID`, or without a key
    /// (`_id`s only: lost and added documents are named, modified ones are not).
    package init(fields: [String], keyID: String?) throws(SpoolError) {
        self.fields = fields
        self.keyID = keyID
        spool = try SpoolWriter(name: "index")
        try write(DocumentIndexFormat.header(fields: fields, keyed: keyID != nil))
    }

    private func write(_ bytes: [UInt8]) throws(SpoolError) {
        hasher.update(data: bytes)
        try spool.write(bytes)
    }

    /// One document: its `_id`'s type and value bytes, and the digests of the fields (in order,
    /// `DocumentIndexFormat.digestBytes` each; none without a key).
    package func append(idType: UInt8, id: UnsafeRawBufferPointer, digests: [UInt8]) throws(SpoolError) {
        record.removeAll(keepingCapacity: true)
        record.append(idType)
        DocumentIndexFormat.appendLEB128(id.count, to: &record)
        record.append(contentsOf: id)
        record.append(contentsOf: digests)
        try write(record)
        documents += 1
    }

    /// Writes the trailer and hands over the index.
    package func finish() throws(SpoolError) -> LocalDocumentIndex {
        try write(DocumentIndexFormat.trailer(documents: documents))
        let digest = TextFormatting.hex(hasher.finalize())
        return LocalDocumentIndex(file: try spool.finish(), fields: fields, documents: documents, sha256: digest, keyID: keyID)
    }
}

@available(*, unavailable)
extension DocumentIndexWriter: Sendable {}

/// An index written on this machine, not yet stored.
package struct LocalDocumentIndex: Sendable {
    package let file: SpoolFile
    package let fields: [String]
    package let documents: Int64
    package let sha256: String
    /// The evidence key's id; nil for an index of `_id`s only.
    package let keyID: String?

    package init(file: SpoolFile, fields: [String], documents: Int64, sha256: String, keyID: String?) {
        self.file = file
        self.fields = fields
        self.documents = documents
        self.sha256 = sha256
        self.keyID = keyID
    }

    package var bytes: Int { file.size }
}

/// What a check's evidence came to during a snapshot: an index, or why there is none.
package enum DocumentIndexOutcome: Sendable {
    case indexed(LocalDocumentIndex)
    case skipped(String)
}
