import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterS3
@testable import TasterSupport

/// Query signing (presigned URLs) against the S3 documentation's worked example.
@Suite("SigV4 presigned URLs")
struct SigV4PresignTests {
    @Test("S3 docs: a presigned GET of test.txt for 86400 seconds, stage by stage")
    func documentationExample() {
        let presigned = SigV4SignerTests.documentation.presign(
            method: .get, host: "examplebucket.s3.amazonaws.com", path: "/test.txt", expires: .seconds(86_400),
            timestamp: SigV4SignerTests.documentationTime)
        #expect(
            presigned.canonicalRequest.text == """
                GET
                /test.txt
                X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host
                host:examplebucket.s3.amazonaws.com

                host
                UNSIGNED-PAYLOAD
                """)
        #expect(
            presigned.stringToSign == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                3bfa292879f6447bbcda7001decf97f4a54dc650c8942174ae0a9121cf58ad04
                """)
        #expect(presigned.signature == "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404")
        #expect(presigned.query.hasSuffix("&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"))
    }

    @Test("a session token is part of the signed query")
    func sessionToken() {
        var signer = SigV4SignerTests.documentation
        signer.credentials.sessionToken = "FQoGZXIvYXdzE+token/=="
        let presigned = signer.presign(
            method: .get, host: "examplebucket.s3.amazonaws.com", path: "/test.txt", expires: .seconds(60),
            timestamp: SigV4SignerTests.documentationTime)
        #expect(presigned.canonicalRequest.text.contains("&X-Amz-Security-Token=FQoGZXIvYXdzE%2Btoken%2F%3D%3D"))
        #expect(presigned.query.contains("X-Amz-Security-Token=FQoGZXIvYXdzE%2Btoken%2F%3D%3D&X-Amz-SignedHeaders=host&X-Amz-Signature="))
    }

    @Test("settings: the link expiry is at most 7 days; a base URL is http(s) without a query")
    func settings() throws {
        #expect(try S3Settings.read(environment: [:]).linkExpiry == .seconds(604_800))
        #expect(try S3Settings.read(environment: ["TASTER_LINK_EXPIRY": "24h"]).linkExpiry == .seconds(86_400))
        #expect(
            try S3Settings.read(environment: ["TASTER_REPORT_BASE_URL": "https://reports.example.com/b"]).reportBaseURL
                == "https://reports.example.com/b")
        for values in [["TASTER_LINK_EXPIRY": "169h"], ["TASTER_REPORT_BASE_URL": "s3://b"], ["TASTER_REPORT_BASE_URL": "https://x/?token=1"]] {
            #expect(throws: ConfigurationError.self) { try S3Settings.read(environment: values) }
        }
    }
}

extension S3Settings {
    fileprivate static func read(environment: [String: String]) throws -> S3Settings {
        var reader = SettingsReader(Environment(environment))
        let settings = read(&reader)
        if !reader.problems.isEmpty { throw ConfigurationError(reader.problems) }
        return settings
    }
}
