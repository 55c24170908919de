/// An `s3://bucket/key` URI, accepted wherever a report path is (`taster compare`). The key is
/// taken literally (no percent-decoding), as the AWS CLI does.
package struct S3URI: Sendable, Equatable, CustomStringConvertible {
    package var bucket: String
    package var key: String

    package init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// True when `text` is meant as an S3 URI (and should be parsed, not opened as a file).
    package static func isS3URI(_ text: String) -> Bool {
        text.lowercased().hasPrefix("s3://")
    }

    /// Parses `s3://bucket/key`; the error says what is wrong and shows a good example.
    package static func parse(_ text: String) -> Result<S3URI, S3URIParseError> {
        guard isS3URI(text) else { return .failure(S3URIParseError(text: text, reason: "does not start with s3://")) }
        let rest = text.dropFirst("s3://".count)
        guard let slash = rest.firstIndex(of: "/") else {
            return .failure(S3URIParseError(text: text, reason: "names a bucket but no object key"))
        }
        let bucket = String(rest[..<slash])
        let key = String(rest[rest.index(after: slash)...])
        guard S3Settings.isValidBucketName(bucket) else {
            return .failure(S3URIParseError(text: text, reason: "has \"\(bucket)\", which is not a valid bucket name"))
        }
        guard !key.isEmpty else { return .failure(S3URIParseError(text: text, reason: "names a bucket but no object key")) }
        return .success(S3URI(bucket: bucket, key: key))
    }

    package var description: String { "s3://\(bucket)/\(key)" }
}
