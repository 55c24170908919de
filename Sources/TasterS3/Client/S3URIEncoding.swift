import TasterSupport

/// S3's URI encoding for Signature Version 4: every byte of the UTF-8 form is written `%XX`
/// (upper-case hex) except the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~`, and `/`
/// in an object key's path. Keys are encoded once (other AWS services encode twice) and
/// never normalised: `a//b/./c` stays as it is.
///
/// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
package enum S3URIEncoding {
    /// Encodes a path, keeping `/`: `photos/my report+1.json` → `photos/my%20report%2B1.json`.
    package static func encodePath(_ path: String) -> String {
        encode(path, keepingSlash: true)
    }

    /// Encodes a query parameter's name or value: `/` too becomes `%2F`.
    package static func encodeQueryComponent(_ text: String) -> String {
        encode(text, keepingSlash: false)
    }

    static func encode(_ text: String, keepingSlash: Bool) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if PercentEncoding.isUnreserved(byte) || (keepingSlash && byte == UInt8(ascii: "/")) {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                out += "%" + PercentEncoding.hex(byte)
            }
        }
        return out
    }
}
