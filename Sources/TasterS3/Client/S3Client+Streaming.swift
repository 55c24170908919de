import Crypto
import FoundationEssentials
import TasterCore
import TasterHTTP
import TasterSupport

/// Objects too large to hold in memory (document indexes, change lists): uploaded from a spool
/// file in parts, downloaded into one by ranges, a part at a time.
extension S3Client {
    /// The size of an uploaded part: memory holds one at a time, so S3's smallest (5 MiB, but
    /// the last) keeps a run's peak memory lowest.
    static let partSize = 5 << 20
    /// The size of a downloaded range: the response body is held whole before it goes to the
    /// spool file, so a range is far smaller than a part.
    static let rangeSize = 1 << 20

    /// Stores `file` at `key`: one PutObject when it fits a part, else a multipart upload
    /// (aborted when a step fails, so no parts are left behind). With `createOnly` an existing
    /// object is refused first (HEAD) and by `If-None-Match: *` on the completion.
    package func put(key: String, file: SpoolFile, contentType: String, createOnly: Bool) async throws {
        guard file.size > Self.partSize else {
            try await put(key: key, data: try file.readData(at: 0, count: file.size), contentType: contentType, createOnly: createOnly)
            return
        }
        if createOnly, try await head(key: key) != nil {
            throw S3Error(
                operation: "PutObject", bucket: bucket, key: key, endpoint: endpoint.description, status: 412,
                code: "PreconditionFailed", message: "a HEAD found an object at this key; nothing was written", requestID: nil,
                accessKeyID: signer.credentials.accessKeyID, region: signer.region)
        }
        let created = try await send(
            "CreateMultipartUpload", .post, bucket: bucket, key: key, query: [("uploads", "")],
            headers: ["Content-Type": contentType])
        guard let uploadID = S3XML.value("UploadId", in: String(decoding: created.body, as: UTF8.self)[...]), !uploadID.isEmpty else {
            throw S3Error(
                operation: "CreateMultipartUpload", bucket: bucket, key: key, endpoint: endpoint.description,
                status: created.status, code: "InvalidResponse", message: "the answer has no UploadId", requestID: nil,
                accessKeyID: signer.credentials.accessKeyID, region: signer.region)
        }
        do {
            var etags: [String] = []
            var offset = 0
            while offset < file.size {
                let part = try file.readData(at: offset, count: min(Self.partSize, file.size - offset))
                let response = try await send(
                    "UploadPart", .put, bucket: bucket, key: key,
                    query: [("partNumber", String(etags.count + 1)), ("uploadId", uploadID)],
                    headers: ["Content-MD5": Data(Insecure.MD5.hash(data: part)).base64EncodedString()], body: part)
                etags.append(response.headers["ETag"] ?? "")
                offset += part.count
            }
            let parts = etags.enumerated().map { "<Part><PartNumber>\($0.offset + 1)</PartNumber><ETag>\($0.element)</ETag></Part>" }
            let body = Data(("<CompleteMultipartUpload>" + parts.joined() + "</CompleteMultipartUpload>").utf8)
            var headers: HTTPHeaders = ["Content-Type": "application/xml"]
            if createOnly { headers["If-None-Match"] = "*" }
            let completed = try await send(
                "CompleteMultipartUpload", .post, bucket: bucket, key: key, query: [("uploadId", uploadID)],
                headers: headers, body: body)
            // A completion can fail inside a 200 answer.
            if let failure = S3ErrorResponse.parse(String(decoding: completed.body, as: UTF8.self)) {
                throw S3Error(
                    operation: "CompleteMultipartUpload", bucket: bucket, key: key, endpoint: endpoint.description,
                    status: completed.status, code: failure.code, message: failure.message, requestID: failure.requestID,
                    accessKeyID: signer.credentials.accessKeyID, region: signer.region)
            }
        } catch {
            _ = try? await send("AbortMultipartUpload", .delete, bucket: bucket, key: key, query: [("uploadId", uploadID)])
            throw error
        }
    }

    /// The object at `key` in a spool file, read by ranges of 1 MiB; nil when there is none. One
    /// larger than `maxBytes` is refused (`S3ObjectTooLargeError`) without being read.
    package func download(key: String, maxBytes: Int) async throws -> SpoolFile? {
        guard let info = try await head(key: key) else { return nil }
        guard info.size <= maxBytes else {
            throw S3ObjectTooLargeError(bucket: bucket, key: key, limit: maxBytes, size: info.size)
        }
        let writer = try SpoolWriter(name: "download")
        var offset = 0
        while offset < Int(info.size) {
            let last = min(offset + Self.rangeSize, Int(info.size)) - 1
            let response = try await send(
                "GetObject", .get, bucket: bucket, key: key, headers: ["Range": "bytes=\(offset)-\(last)"],
                maxResponseBytes: Self.rangeSize + (64 << 10))
            guard response.body.count == last - offset + 1 else {
                throw S3Error(
                    operation: "GetObject", bucket: bucket, key: key, endpoint: endpoint.description, status: response.status,
                    code: "IncompleteBody",
                    message: "asked for bytes \(offset)-\(last) and received \(response.body.count) (the object changed while it was read?)",
                    requestID: nil, accessKeyID: signer.credentials.accessKeyID, region: signer.region)
            }
            try writer.write(response.body)
            offset = last + 1
        }
        return try writer.finish()
    }
}
