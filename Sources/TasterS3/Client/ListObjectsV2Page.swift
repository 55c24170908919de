import FoundationEssentials

/// One page of a ListObjectsV2 answer (`<ListBucketResult>`).
///
/// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html
struct ListObjectsV2Page: Sendable {
    var objects: [S3ObjectInfo]
    var isTruncated: Bool
    var nextContinuationToken: String?

    static func parse(_ body: Data, bucket: String, prefix: String, endpoint: S3Endpoint) throws -> ListObjectsV2Page {
        let xml = Substring(String(decoding: body, as: UTF8.self))
        guard xml.contains("<ListBucketResult") else {
            throw S3ListingError(
                bucket: bucket, prefix: prefix, endpoint: endpoint.description,
                reason: "the answer is not a ListObjectsV2 result")
        }
        var objects: [S3ObjectInfo] = []
        for contents in S3XML.elements("Contents", in: xml) {
            guard let key = S3XML.value("Key", in: contents) else { continue }
            objects.append(
                S3ObjectInfo(
                    key: key, size: Int64(S3XML.value("Size", in: contents) ?? "") ?? 0,
                    etag: S3ObjectInfo.unquoted(S3XML.value("ETag", in: contents)),
                    lastModified: S3XML.value("LastModified", in: contents)))
        }
        // Top-level elements; never found inside <Contents>, where a key's "<" is escaped.
        let truncated = S3XML.value("IsTruncated", in: xml) == "true"
        let token = S3XML.value("NextContinuationToken", in: xml)
        if truncated && (token ?? "").isEmpty {
            throw S3ListingError(
                bucket: bucket, prefix: prefix, endpoint: endpoint.description,
                reason: "the answer says there is more but gives no continuation token")
        }
        return ListObjectsV2Page(objects: objects, isTruncated: truncated, nextContinuationToken: token)
    }
}
