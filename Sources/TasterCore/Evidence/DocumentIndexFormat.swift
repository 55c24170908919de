/// The document index a check records next to `pre.json` (`runs/<run-id>/index/<check>.tidx`):
/// for every document the check considered, in the server's `_id` order, its `_id` and a short
/// keyed digest of each indexed field. Values are never stored: only the `_id`, the field names
/// and the digests, which nobody without the evidence key (`EvidenceKey`) can turn back into
/// values.
///
/// Layout (all integers big-endian):
///
///     header   "TSTRIDX" 0x00 | version u8 (2) | digest bytes u8 (4, or 0 without a key)
///              | field count u16 | per field: name length u16, name (UTF-8)
///     record   _id BSON type u8 | _id value length (LEB128) | _id value bytes (as stored)
///              | per field: digest (`FieldDigester`: the first 4 bytes of HMAC-SHA-256 under
///                the evidence key of the field's BSON type, 0x00 and value bytes; 00000000
///                when the document lacks the field) — none when the index has no key
///     trailer  0x00 | document count u64
///
/// An ObjectId `_id` with four fields takes 1 + 1 + 12 + 16 = 30 bytes. A record never starts
/// with 0x00 (no BSON type is 0), so the trailer is unambiguous. The whole object's SHA-256 and
/// size, and the key's id, are recorded in `pre.json`: a damaged, truncated or replaced index is
/// detected before a byte of it is trusted, and an index made under another key is not compared.
/// Version 1 (unkeyed SHA-256 digests) is no longer read.
package enum DocumentIndexFormat {
    package static let magic: [UInt8] = Array("TSTRIDX".utf8) + [0]
    package static let version: UInt8 = 2
    /// The bytes of a field's digest in a keyed index (an index without a key has none).
    package static let digestBytes = 4
    /// The file name extension of an index object.
    package static let fileExtension = "tidx"
    package static let contentType = "application/vnd.taster.document-index"

    /// The header for `fields`, with their digests (`keyed`) or without.
    package static func header(fields: [String], keyed: Bool) -> [UInt8] {
        var bytes = magic
        bytes.append(version)
        bytes.append(keyed ? UInt8(digestBytes) : 0)
        appendUInt16(UInt16(fields.count), to: &bytes)
        for field in fields {
            let name = Array(field.utf8)
            appendUInt16(UInt16(name.count), to: &bytes)
            bytes += name
        }
        return bytes
    }

    /// The trailer after `documents` records.
    package static func trailer(documents: Int64) -> [UInt8] {
        var bytes: [UInt8] = [0]
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: UInt64(documents) >> UInt64(shift))) }
        return bytes
    }

    package static func appendUInt16(_ value: UInt16, to bytes: inout [UInt8]) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(value & 0xFF))
    }

    package static func appendLEB128(_ value: Int, to bytes: inout [UInt8]) {
        var rest = UInt(value)
        repeat {
            let low = UInt8(rest & 0x7F)
            rest >>= 7
            bytes.append(rest == 0 ? low : low | 0x80)
        } while rest != 0
    }
}
