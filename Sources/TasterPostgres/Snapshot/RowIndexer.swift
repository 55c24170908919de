import TasterCore
import TasterSupport

/// Writes a check's document index while its rows are read in primary-key order: each row's
/// key as a BSON value (`PrimaryKey`) and the keyed digest of each chosen column (`RowDigest`,
/// `FieldDigester`), or without an evidence key the primary keys alone. Never
/// throws: a failure to write (TMPDIR full), a key it cannot encode or a table over
/// `maxDocuments` ends the index with the reason, and the check is measured as before.
final class RowIndexer {
    let maxDocuments: Int64
    /// The evidence key's digester; nil without a key (the index then holds primary keys only).
    let digester: FieldDigester?
    private var writer: DocumentIndexWriter?
    private var skipped: String?

    init(columns: [String], policy: EvidencePolicy) {
        maxDocuments = policy.maxDocuments
        digester = policy.key?.digester
        do {
            writer = try DocumentIndexWriter(fields: columns, keyID: policy.key?.id)
        } catch {
            skipped = "\(error)"
        }
    }

    /// Adds one row: its identity (nil when its key could not be encoded) and its columns' digests.
    func add(_ identity: (type: UInt8, bytes: [UInt8])?, digests: [UInt8]) {
        guard let writer else { return }
        if writer.documents >= maxDocuments {
            skip("more than \(maxDocuments) rows (TASTER_EVIDENCE_MAX_DOCUMENTS): the check is judged by its value alone")
            return
        }
        guard let identity else {
            skip("a row's primary key could not be encoded")
            return
        }
        do {
            try identity.bytes.withUnsafeBytes { try writer.append(idType: identity.type, id: $0, digests: digests) }
        } catch {
            skip("\(error)")
        }
    }

    /// Ends the index without it.
    func skip(_ reason: String) {
        writer = nil
        if skipped == nil { skipped = reason }
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
extension RowIndexer: Sendable {}
