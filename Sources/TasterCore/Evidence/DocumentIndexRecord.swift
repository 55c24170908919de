/// Where a check's document index is stored, and how to know it is the one that was written
/// (`pre.json` and `post.json`, `checks[].index`): its key, SHA-256, size and document count — or
/// why the check has no index.
package struct DocumentIndexRecord: Sendable, Equatable, Codable {
    package var format: Int?
    package var key: String?
    package var sha256: String?
    package var bytes: Int?
    package var documents: Int64?
    /// Why there is no index (over `TASTER_EVIDENCE_MAX_DOCUMENTS`, TMPDIR full, …).
    package var skipped: String?

    package init(format: Int? = nil, key: String? = nil, sha256: String? = nil, bytes: Int? = nil, documents: Int64? = nil, skipped: String? = nil) {
        self.format = format
        self.key = key
        self.sha256 = sha256
        self.bytes = bytes
        self.documents = documents
        self.skipped = skipped
    }

    package static func stored(_ index: LocalDocumentIndex, at key: String) -> DocumentIndexRecord {
        DocumentIndexRecord(
            format: Int(DocumentIndexFormat.version), key: key, sha256: index.sha256, bytes: index.bytes,
            documents: index.documents)
    }
}
