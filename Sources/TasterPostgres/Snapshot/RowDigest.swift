import Crypto
import TasterCore

/// One row of a fingerprint: its identity (the primary key's values) and a digest per chosen
/// column, combined into the row's digest. Each value is encoded with its type OID, so `5` as
/// `integer` and `5` as `numeric` differ, and a NULL differs from every value:
/// `type (4 bytes, big-endian) | null flag (1 byte) | length (4 bytes) | text bytes`.
/// The row's digest is the SHA-256 of the key's encoding followed by each column's SHA-256 in
/// the configured order (a table without a primary key: the columns' alone).
///
/// For a document index, each chosen column's encoding also goes through `fieldDigest`: the
/// index's per-column digests, from which a change list names the columns a row changed.
struct RowDigest {
    /// The primary key's values, encoded: the row's identity.
    let identity: [UInt8]
    /// The SHA-256 of each chosen column's encoded value.
    let columns: [SHA256.Digest]
    /// The keyed digest of each chosen column, in order; empty without a `digester`.
    let fieldDigests: [UInt8]

    /// The row of `result` whose first `keyColumns` columns are the key and the next
    /// `valueColumns` the chosen ones (columns after those are not part of the digest). With a
    /// `digester` (a document index under an evidence key), each column's keyed digest too.
    init(result: PostgresResult, row: Int, keyColumns: Int, valueColumns: Int, digester: FieldDigester?) {
        var identity: [UInt8] = []
        var columns: [SHA256.Digest] = []
        var fieldDigests: [UInt8] = []
        var encoded: [UInt8] = []
        for column in 0..<(keyColumns + valueColumns) {
            encoded.removeAll(keepingCapacity: true)
            Self.encode(result: result, row: row, column: column, into: &encoded)
            if column < keyColumns {
                identity += encoded
            } else {
                columns.append(SHA256.hash(data: encoded))
                if let digester { fieldDigests += Self.fieldDigest(encoded, digester) }
            }
        }
        self.identity = identity
        self.columns = columns
        self.fieldDigests = fieldDigests
    }

    var digest: SHA256.Digest {
        var hasher = SHA256()
        hasher.update(data: identity)
        for column in columns { column.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return hasher.finalize()
    }

    /// The document index's digest of one column's value, from its encoding (`encode`): the
    /// one place a per-column digest is made, the evidence key's `FieldDigester` as for every
    /// engine (a column is never absent: a NULL has an encoding of its own).
    static func fieldDigest(_ canonicalBytes: [UInt8], _ digester: FieldDigester) -> [UInt8] {
        digester.digest(canonicalBytes)
    }

    static func encode(result: PostgresResult, row: Int, column: Int, into bytes: inout [UInt8]) {
        let type = result.type(ofColumn: column)
        bytes += withUnsafeBytes(of: type.bigEndian, Array.init)
        result.withBytes(row: row, column: column) { value in
            guard let value else {
                bytes.append(0)
                return
            }
            bytes.append(1)
            bytes += withUnsafeBytes(of: UInt32(value.count).bigEndian, Array.init)
            bytes += value
        }
    }
}
