import TasterSupport

/// Reads a document index front to back, checking its structure as it goes: a header taster
/// wrote, records that end where they should, a trailer whose count matches. Anything else is a
/// `DocumentIndexError`, never a guess.
package struct DocumentIndexReader {
    package private(set) var fields: [String] = []
    private var reader: SpoolReader
    private var count: Int64 = 0
    private var ended = false
    /// The bytes of each field's digest: `DocumentIndexFormat.digestBytes`, or 0 in an index of
    /// `_id`s only (made without an evidence key).
    package let digestWidth: Int

    package init(_ file: SpoolFile) throws(DocumentIndexError) {
        reader = SpoolReader(file)
        do {
            guard let magic = try reader.bytes(DocumentIndexFormat.magic.count), magic == DocumentIndexFormat.magic else {
                throw DocumentIndexError("it is not a taster document index")
            }
            guard let version = try reader.byte() else { throw DocumentIndexError("its header is truncated") }
            guard version == DocumentIndexFormat.version else {
                throw DocumentIndexError(
                    version < DocumentIndexFormat.version
                        ? "it was made by an older taster (format \(version), this taster reads \(DocumentIndexFormat.version))"
                        : "it was made by a newer taster (format \(version), this taster reads \(DocumentIndexFormat.version))")
            }
            guard let width = try reader.byte(), Int(width) == DocumentIndexFormat.digestBytes || width == 0 else {
                throw DocumentIndexError("its digests are neither \(DocumentIndexFormat.digestBytes) bytes nor absent")
            }
            digestWidth = Int(width)
            guard let countBytes = try reader.bytes(2) else { throw DocumentIndexError("its header is truncated") }
            for _ in 0..<(Int(countBytes[0]) << 8 | Int(countBytes[1])) {
                guard let length = try reader.bytes(2), let name = try reader.bytes(Int(length[0]) << 8 | Int(length[1])) else {
                    throw DocumentIndexError("its header is truncated")
                }
                fields.append(String(decoding: name, as: UTF8.self))
            }
        } catch let error as DocumentIndexError {
            throw error
        } catch {
            throw DocumentIndexError("\(error)")
        }
    }

    /// The next document; nil after the last, once the trailer has been checked.
    package mutating func next() throws(DocumentIndexError) -> DocumentIndexEntry? {
        guard !ended else { return nil }
        do {
            guard let type = try reader.byte() else { throw DocumentIndexError("it is truncated (no trailer)") }
            if type == 0 {
                guard let bytes = try reader.bytes(8) else { throw DocumentIndexError("it is truncated (in the trailer)") }
                let recorded = bytes.reduce(Int64(0)) { $0 << 8 | Int64($1) }
                guard recorded == count else {
                    throw DocumentIndexError("its trailer counts \(recorded) documents but it holds \(count)")
                }
                guard try reader.byte() == nil else { throw DocumentIndexError("it has bytes after its trailer") }
                ended = true
                return nil
            }
            var length = 0
            var shift = 0
            while true {
                guard let byte = try reader.byte(), shift < 35 else { throw DocumentIndexError("it is truncated or damaged (record \(count + 1))") }
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte & 0x80 == 0 { break }
            }
            guard length <= 16 << 20, let id = try reader.bytes(length), let digests = try reader.bytes(fields.count * digestWidth) else {
                throw DocumentIndexError("it is truncated or damaged (record \(count + 1))")
            }
            let value = BSONRawValue(type: type, bytes: id)
            guard !value.nestsDeeper() else {
                throw DocumentIndexError("it is damaged: record \(count + 1)'s _id nests deeper than MongoDB allows")
            }
            count += 1
            return DocumentIndexEntry(id: value, digests: digests)
        } catch let error as DocumentIndexError {
            throw error
        } catch {
            throw DocumentIndexError("\(error)")
        }
    }
}

/// Why an index cannot be used; the verdict then judges by the fingerprint and says this.
package struct DocumentIndexError: Error, Sendable, CustomStringConvertible {
    package let reason: String
    package init(_ reason: String) { self.reason = reason }
    package var description: String { reason }
}
