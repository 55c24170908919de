/// What a HEAD or a listing says about an object.
package struct S3ObjectInfo: Sendable, Equatable {
    package var key: String
    /// Bytes.
    package var size: Int64
    /// The entity tag, quotes removed.
    package var etag: String?
    /// As the server wrote it: RFC 3339 in listings, an HTTP date from HEAD.
    package var lastModified: String?
    /// Only from HEAD.
    package var contentType: String?

    package init(key: String, size: Int64, etag: String? = nil, lastModified: String? = nil, contentType: String? = nil) {
        self.key = key
        self.size = size
        self.etag = etag
        self.lastModified = lastModified
        self.contentType = contentType
    }

    static func unquoted(_ etag: String?) -> String? {
        guard var etag else { return nil }
        if etag.hasPrefix("\"") && etag.hasSuffix("\"") && etag.count >= 2 { etag = String(etag.dropFirst().dropLast()) }
        return etag
    }
}
