/// Where a check's document index is stored, and how to know it is the one that was written
/// (`pre.json` and `post.json`, `checks[].index`): its key, SHA-256, size and document count, the
/// id of the evidence key its digests were made with (none: `_id`s only) — or why the check has
/// no index.
package struct DocumentIndexRecord: Sendable, Equatable, Codable {
    package var format: Int?
    package var key: String?
    package var sha256: String?
    package var bytes: Int?
    package var documents: Int64?
    /// `EvidenceKey.id` of the key the field digests were made with; nil when the index holds
    /// `_id`s only (no key was configured).
    package var keyID: String?
    /// Why there is no index (over `TASTER_EVIDENCE_MAX_DOCUMENTS`, TMPDIR full, …).
    package var skipped: String?

    package init(
        format: Int? = nil, key: String? = nil, sha256: String? = nil, bytes: Int? = nil, documents: Int64? = nil, keyID: String? = nil,
        skipped: String? = nil
    ) {
        self.format = format
        self.key = key
        self.sha256 = sha256
        self.bytes = bytes
        self.documents = documents
        self.keyID = keyID
        self.skipped = skipped
    }

    package static func stored(_ index: LocalDocumentIndex, at key: String) -> DocumentIndexRecord {
        DocumentIndexRecord(
            format: Int(DocumentIndexFormat.version), key: key, sha256: index.sha256, bytes: index.bytes,
            documents: index.documents, keyID: index.keyID)
    }
}
