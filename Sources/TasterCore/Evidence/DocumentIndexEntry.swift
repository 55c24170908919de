/// One document of an index: its `_id` (BSON type and value bytes as stored) and the digest of
/// each indexed field, in the index's field order.
package struct DocumentIndexEntry: Sendable, Equatable {
    package var id: BSONRawValue
    /// `fields.count × DocumentIndexFormat.digestBytes` bytes.
    package var digests: [UInt8]

    package init(id: BSONRawValue, digests: [UInt8]) {
        self.id = id
        self.digests = digests
    }

    /// The digest of field number `field`.
    package func digest(_ field: Int) -> ArraySlice<UInt8> {
        let width = DocumentIndexFormat.digestBytes
        return digests[field * width..<(field + 1) * width]
    }
}

/// A BSON value as stored: its type byte and the bytes of the value (no key).
package struct BSONRawValue: Sendable, Equatable, Hashable {
    package var type: UInt8
    package var bytes: [UInt8]

    package init(type: UInt8, bytes: [UInt8]) {
        self.type = type
        self.bytes = bytes
    }
}
