import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterS3
@testable import TasterSupport

/// S3's XML answers and the errors people read.
@Suite("S3 errors and XML")
struct S3ErrorTests {
    func error(_ code: String, operation: String = "PutObject", status: Int = 403, response: S3ErrorResponse? = nil) -> S3Error {
        var error = S3Error(
            operation: operation, bucket: "taster-reports", key: "taster/a/b/runs/r1/pre.json",
            endpoint: "https://minio.example.com:9000", status: status, code: code, message: "the server's words",
            requestID: "RID1", accessKeyID: "AKIAEXAMPLE", region: "eu-west-1")
        error.response = response
        return error
    }

    @Test("an AWS error document: code, message, request id, and the skew's two clocks")
    func parseAWSError() throws {
        let xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Error><Code>RequestTimeTooSkewed</Code><Message>The difference between the request time and the current time is too large.</Message>\
            <RequestTime>20261121T090000Z</RequestTime><ServerTime>2026-11-21T10:00:00Z</ServerTime>\
            <MaxAllowedSkewMilliseconds>900000</MaxAllowedSkewMilliseconds><RequestId>4442587FB7D0A2F9</RequestId></Error>
            """
        let parsed = try #require(S3ErrorResponse.parse(xml))
        #expect(parsed.code == "RequestTimeTooSkewed")
        #expect(parsed.requestID == "4442587FB7D0A2F9")
        #expect(parsed.serverTime == "2026-11-21T10:00:00Z")
        let described = error("RequestTimeTooSkewed", response: parsed).description
        #expect(described.contains("(server: 2026-11-21T10:00:00Z, ours: 20261121T090000Z)"))
        #expect(described.contains("fix the clock (NTP)"))
    }

    @Test("entities in messages and keys are decoded; what is not an error document is nil")
    func entitiesAndNonErrors() {
        let parsed = S3ErrorResponse.parse(
            "<Error><Code>NoSuchKey</Code><Message>key &quot;a&amp;b&lt;c&gt;&#39;d&#x9;&apos;&quot; missing</Message><Key/></Error>")
        #expect(parsed?.message == "key \"a&b<c>'d\t'\" missing")
        #expect(S3ErrorResponse.parse("") == nil)
        #expect(S3ErrorResponse.parse("<html><body>502 Bad Gateway</body></html>") == nil)
        #expect(S3ErrorResponse.parse("<Error><Code></Code></Error>") == nil)
        #expect(S3XML.decodeEntities("&bogus; & &#xZZ; &amp") == "&bogus; & &#xZZ; &amp")
    }

    @Test(
        "every error the issue names reads as what to do",
        arguments: [
            ("NoSuchBucket", "bucket \"taster-reports\" does not exist on https://minio.example.com:9000; create it, or set TASTER_BUCKET"),
            ("NoSuchKey", "there is no object at s3://taster-reports/taster/a/b/runs/r1/pre.json"),
            ("AccessDenied", "access key AKIAEXAMPLE may not s3:PutObject on s3://taster-reports/taster/a/b/runs/r1/pre.json"),
            ("InvalidAccessKeyId", "the endpoint does not know access key AKIAEXAMPLE; check AWS_ACCESS_KEY_ID"),
            ("SignatureDoesNotMatch", "check the secret key and this machine's clock"),
            ("RequestTimeTooSkewed", "fix the clock (NTP)"),
            ("PreconditionFailed", "s3://taster-reports/taster/a/b/runs/r1/pre.json already exists — refusing to overwrite"),
            ("BadDigest", "the data was damaged on the way"),
            ("SlowDown", "overloaded"),
            ("AuthorizationHeaderMalformed", "set AWS_REGION"),
        ])
    func advice(code: String, expected: String) {
        let error = error(code)
        #expect(error.description.contains(expected), "\(error)")
        #expect(
            error.description.hasPrefix(
                "S3 PutObject of s3://taster-reports/taster/a/b/runs/r1/pre.json on https://minio.example.com:9000 failed: HTTP 403 \(code) (the server's words)"
            ))
        #expect(error.exitCode == .dependency)
    }

    @Test("with a session token in use, InvalidAccessKeyId points at the token too; a refused token says to renew it")
    func sessionToken() {
        var refused = error("InvalidAccessKeyId")
        #expect(!refused.description.contains("AWS_SESSION_TOKEN"))
        refused.usesSessionToken = true
        #expect(refused.description.contains("with AWS_SESSION_TOKEN set, check that the key and the token come from the same, unexpired session"))
        #expect(error("ExpiredToken").description.contains("renew the temporary credentials"))
    }

    @Test("AccessDenied names the action each operation needs")
    func actions() {
        #expect(error("AccessDenied", operation: "GetObject").description.contains("may not s3:GetObject"))
        #expect(error("AccessDenied", operation: "HeadObject").description.contains("may not s3:GetObject"))
        #expect(error("AccessDenied", operation: "ListObjectsV2").description.contains("may not s3:ListBucket"))
        #expect(error("AccessDenied", operation: "DeleteObject").description.contains("may not s3:DeleteObject"))
    }

    @Test("a HEAD answer has no body: the status gives the code")
    func codesFromStatus() {
        #expect(S3Error.code(forStatus: 403) == "Forbidden")
        #expect(S3Error.code(forStatus: 404) == "NotFound")
        #expect(S3Error.code(forStatus: 301) == "PermanentRedirect")
        #expect(S3Error.code(forStatus: 418) == "HTTP418")
    }

    @Test("ListObjectsV2: keys, sizes and ETags; truncation and its token; a truncated page without a token is refused")
    func listingPages() throws {
        let page = """
            <?xml version="1.0" encoding="UTF-8"?>
            <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b-1</Name><Prefix>p/</Prefix>\
            <NextContinuationToken>1/xyz+abc==</NextContinuationToken><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys><IsTruncated>true</IsTruncated>\
            <Contents><Key>p/a &amp; b.json</Key><LastModified>2026-11-21T10:00:00.000Z</LastModified><ETag>&#34;9b2cf535f27731c974343645a3985328&#34;</ETag><Size>12</Size><StorageClass>STANDARD</StorageClass></Contents>\
            <Contents><Key>p/&lt;c&gt;.json</Key><Size>3</Size></Contents></ListBucketResult>
            """
        let endpoint = S3Endpoint(scheme: "http", host: "127.0.0.1", port: 8333)
        let parsed = try ListObjectsV2Page.parse(Data(page.utf8), bucket: "b-1", prefix: "p/", endpoint: endpoint)
        #expect(
            parsed.objects == [
                S3ObjectInfo(key: "p/a & b.json", size: 12, etag: "9b2cf535f27731c974343645a3985328", lastModified: "2026-11-21T10:00:00.000Z"),
                S3ObjectInfo(key: "p/<c>.json", size: 3),
            ])
        #expect(parsed.isTruncated)
        #expect(parsed.nextContinuationToken == "1/xyz+abc==")

        let broken = page.replacingOccurrences(of: "<NextContinuationToken>1/xyz+abc==</NextContinuationToken>", with: "")
        #expect(throws: S3ListingError.self) { try ListObjectsV2Page.parse(Data(broken.utf8), bucket: "b-1", prefix: "p/", endpoint: endpoint) }
        #expect(throws: S3ListingError.self) { try ListObjectsV2Page.parse(Data("<html/>".utf8), bucket: "b-1", prefix: "p/", endpoint: endpoint) }
    }

    @Test("the S3 retry policy: a 60 s budget; 429, 5xx and SlowDown-like codes; not other 4xx")
    func retryPolicy() {
        let policy = RetryPolicy.s3()
        #expect(policy.budget == RetryBudget(.seconds(60), variable: "TASTER_S3_RETRY_BUDGET"))
        func response(_ status: Int, _ code: String? = nil) -> HTTPResponse {
            HTTPResponse(status: status, headers: [:], body: Data((code.map { "<Error><Code>\($0)</Code></Error>" } ?? "").utf8))
        }
        for status in [429, 500, 502, 503, 504] { #expect(policy.shouldRetry(response(status)), "\(status)") }
        #expect(policy.shouldRetry(response(400, "RequestTimeout")))
        #expect(policy.shouldRetry(response(503, "SlowDown")))
        for (status, code) in [
            (403, "AccessDenied"), (403, "SignatureDoesNotMatch"), (404, "NoSuchKey"), (412, "PreconditionFailed"),
            (400, "BadDigest"), (501, "NotImplemented"),
        ] {
            #expect(!policy.shouldRetry(response(status, code)), "\(code)")
        }
    }
}
