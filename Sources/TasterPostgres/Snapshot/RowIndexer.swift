import TasterCore
import TasterSupport

/// Writes a check's document index while its rows are read in primary-key order: each row's
/// key as a BSON value (`PrimaryKey`) and the keyed digest of each chosen column (`RowDigest`,
/// `FieldDigester`), or without an evidence key the primary keys alone. Never throws: what
/// cannot be written ends the index with the reason (`DocumentIndexRecorder`), and the check is
/// measured as before.
final class RowIndexer {
    private let recorder: DocumentIndexRecorder
    /// The evidence key's digester; nil without a key (the index then holds primary keys only).
    var digester: FieldDigester? { recorder.digester }

    init(columns: [String], policy: EvidencePolicy) {
        recorder = DocumentIndexRecorder(fields: columns, policy: policy, records: "rows")
    }

    /// Adds one row: its identity (nil when its key could not be encoded) and its columns' digests.
    func add(_ identity: (type: UInt8, bytes: [UInt8])?, digests: [UInt8]) {
        guard recorder.admitsAnother() else { return }
        guard let identity else {
            skip("a row's primary key could not be encoded")
            return
        }
        identity.bytes.withUnsafeBytes { recorder.append(idType: identity.type, id: $0, digests: digests) }
    }

    /// Ends the index without it.
    func skip(_ reason: String) {
        recorder.skip(reason)
    }

    /// The index, or why there is none.
    func finish() -> DocumentIndexOutcome {
        recorder.finish()
    }
}

@available(*, unavailable)
extension RowIndexer: Sendable {}
