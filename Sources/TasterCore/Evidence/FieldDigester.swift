import Crypto

/// The keyed digest of one field value in a document index: the first
/// `DocumentIndexFormat.digestBytes` bytes of HMAC-SHA-256, under the evidence key, of the
/// value's canonical bytes — never `00000000`, which stands for an absent field. Each engine
/// chooses the canonical bytes of its values (MongoDB: the BSON element with an empty key, so a
/// change of type is a change), and calls this, the same function for every engine.
package struct FieldDigester {
    private let start: HMAC<SHA256>

    init(key: SymmetricKey) {
        start = HMAC<SHA256>(key: key)
    }

    /// Appends the digest of `canonical` to `digests`.
    package func append(digestOf canonical: UnsafeRawBufferPointer, to digests: inout [UInt8]) {
        var mac = start
        mac.update(data: canonical)
        let code = mac.finalize()
        let first = digests.count
        code.withUnsafeBytes { digests.append(contentsOf: $0.prefix(DocumentIndexFormat.digestBytes)) }
        if digests[first...].allSatisfy({ $0 == 0 }) { digests[digests.count - 1] = 1 }
    }

    /// The digest of `canonical`, `DocumentIndexFormat.digestBytes` bytes.
    package func digest(_ canonical: [UInt8]) -> [UInt8] {
        var digests: [UInt8] = []
        canonical.withUnsafeBytes { append(digestOf: $0, to: &digests) }
        return digests
    }

    /// What an absent field's digest is.
    package static let absent = [UInt8](repeating: 0, count: DocumentIndexFormat.digestBytes)
}
