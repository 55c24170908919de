import Crypto
import TasterSupport

extension DocumentIndexRecord {
    /// Why this record's index cannot be used (skipped, incomplete, of another format); nil when
    /// it names an index to fetch.
    package var unusable: String? {
        if let skipped { return "no document index: \(skipped)" }
        guard key != nil, sha256 != nil, bytes != nil else { return "the record of its document index is incomplete" }
        guard format == Int(DocumentIndexFormat.version) else {
            return "its document index is of format \(format.map(String.init) ?? "?"), this taster reads \(DocumentIndexFormat.version)"
        }
        return nil
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
        return hasher.finalize().map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }
}
