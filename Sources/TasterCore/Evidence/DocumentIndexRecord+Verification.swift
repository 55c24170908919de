import Crypto
import TasterSupport

extension DocumentIndexRecord {
    /// Why this record's index cannot be used (skipped, incomplete, of another format); nil when
    /// it names an index to fetch.
    package var unusable: String? {
        if let skipped { return "no document index: \(skipped)" }
        guard key != nil, sha256 != nil, bytes != nil else { return "the record of its document index is incomplete" }
        guard let format, format >= Int(DocumentIndexFormat.version) else {
            return "its document index was made by an older taster (format \(format.map(String.init) ?? "?"), "
                + "this taster reads \(DocumentIndexFormat.version), whose digests are keyed)"
        }
        guard format == Int(DocumentIndexFormat.version) else {
            return "its document index was made by a newer taster (format \(format), this taster reads \(DocumentIndexFormat.version))"
        }
        return nil
    }

    /// Why this index (the baseline's) cannot be compared with one whose digests were made under
    /// the key `current`: the evidence key changed (`TASTER_EVIDENCE_KEY` or the database password
    /// since pre-taste), or one side has none. Nil when both share the key or both have none.
    package func keyChange(to current: String?, now: String = "today") -> String? {
        guard keyID != current else { return nil }
        let before = keyID.map { "key \($0)" } ?? "no key"
        let after = current.map { "key \($0)" } ?? "no key"
        return "the evidence key changed (the baseline's index was made with \(before), \(now)'s with \(after)): "
            + "TASTER_EVIDENCE_KEY or the database password is not what it was at pre-taste"
    }

    /// Why `file`, fetched from `uri`, is not the index this record describes (truncated,
    /// replaced, damaged); nil when its size and SHA-256 are the recorded ones.
    package func mismatch(of file: SpoolFile, at uri: String, report: String) -> String? {
        guard file.size == bytes else {
            return "the document index \(uri) is \(file.size) bytes, \(report) recorded \(bytes ?? 0) (truncated or replaced)"
        }
        do {
            guard try Self.sha256(of: file) == sha256 else {
                return "the document index \(uri) does not match the checksum in \(report) (damaged or replaced): it is not trusted"
            }
        } catch {
            return "the document index \(uri) could not be read back: \(error)"
        }
        return nil
    }

    static func sha256(of file: SpoolFile) throws -> String {
        var hasher = SHA256()
        var offset = 0
        while offset < file.size {
            let chunk = try file.read(at: offset, count: min(1 << 20, file.size - offset))
            guard !chunk.isEmpty else { break }
            hasher.update(data: chunk)
            offset += chunk.count
        }
        return TextFormatting.hex(hasher.finalize())
    }
}
