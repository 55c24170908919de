/// A check's document index while the check reads its records, for each engine's indexer to feed:
/// it owns the writer, the `TASTER_EVIDENCE_MAX_DOCUMENTS` limit and the reason there is no index.
/// Never throws: a failure to write (TMPDIR full), a record the engine cannot name, or more
/// records than the limit ends the index with the reason, and the check is measured as before.
package final class DocumentIndexRecorder {
    /// The evidence key's digester; nil without a key (the index then holds identities only).
    package let digester: FieldDigester?
    private let maxDocuments: Int64
    /// What the records are called in the reason for a skipped index: "documents", "rows".
    private let records: String
    private var writer: DocumentIndexWriter?
    private var skipped: String?

    package init(fields: [String], policy: EvidencePolicy, records: String) {
        maxDocuments = policy.maxDocuments
        digester = policy.key?.digester
        self.records = records
        do {
            writer = try DocumentIndexWriter(fields: fields, keyID: policy.key?.id)
        } catch {
            skipped = "\(error)"
        }
    }

    /// Whether one more record may be added: false once the index has ended, and when the record
    /// would pass the limit (the index then ends, saying so).
    package func admitsAnother() -> Bool {
        guard let writer else { return false }
        guard writer.documents < maxDocuments else {
            skip("more than \(maxDocuments) \(records) (TASTER_EVIDENCE_MAX_DOCUMENTS): the check is judged by its value alone")
            return false
        }
        return true
    }

    /// One record: its identity's BSON type and value bytes, and its fields' digests.
    package func append(idType: UInt8, id: UnsafeRawBufferPointer, digests: [UInt8]) {
        guard let writer else { return }
        do {
            try writer.append(idType: idType, id: id, digests: digests)
        } catch {
            skip("\(error)")
        }
    }

    /// Ends the index without it; the first reason given is the one reported.
    package func skip(_ reason: String) {
        writer = nil
        if skipped == nil { skipped = reason }
    }

    /// The index, or why there is none.
    package func finish() -> DocumentIndexOutcome {
        guard let writer else { return .skipped(skipped ?? "the index was not written") }
        do {
            return .indexed(try writer.finish())
        } catch {
            return .skipped("\(error)")
        }
    }
}

@available(*, unavailable)
extension DocumentIndexRecorder: Sendable {}
