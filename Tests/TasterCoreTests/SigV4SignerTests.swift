import Crypto
import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterS3

/// The signer against published vectors, stage by stage: the AWS SigV4 test suite, the S3
/// documentation's worked examples, and botocore's own signatures for the requests taster sends.
@Suite("SigV4 signer")
struct SigV4SignerTests {
    // MARK: The AWS SigV4 test suite (Tests/Fixtures/sigv4-test-suite.json)

    struct SuiteFile: Decodable {
        let accessKeyID: String
        let secretAccessKey: String
        let region: String
        let service: String
        let timestamp: String
        let vectors: [SuiteVector]
    }

    struct SuiteVector: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let path: String
        let query: [[String]]
        let headers: [[String]]
        let body: String
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        var testDescription: String { name }
    }

    static let suite: SuiteFile? = try? JSONDecoder().decode(SuiteFile.self, from: Fixture.data("sigv4-test-suite.json"))

    @Test("the suite fixture holds the 21 vectors this signer is checked against")
    func suiteIsComplete() throws {
        let suite = try #require(Self.suite)
        #expect(suite.vectors.count == 21)
        #expect(Set(suite.vectors.map(\.name)).count == 21)
    }

    @Test("AWS test suite: each stage matches", arguments: suite?.vectors ?? [])
    func suiteVector(_ vector: SuiteVector) throws {
        let suite = try #require(Self.suite)
        let timestamp = try #require(SigV4Timestamp(amzDate: suite.timestamp))
        let signer = SigV4Signer(
            credentials: SigV4Credentials(accessKeyID: suite.accessKeyID, secretAccessKey: suite.secretAccessKey),
            region: suite.region, service: suite.service)
        let headers = HTTPHeaders(vector.headers.map { (name: $0[0], value: $0[1]) })
        let query = vector.query.map { (name: $0[0], value: $0[1]) }

        let canonical = SigV4Signer.canonicalRequest(
            method: vector.method, path: vector.path, query: query, headers: headers,
            payloadHash: SigV4Signer.sha256Hex(Data(vector.body.utf8)))
        #expect(canonical.text == vector.canonicalRequest)
        let toSign = signer.stringToSign(canonicalRequest: canonical.text, timestamp: timestamp)
        #expect(toSign == vector.stringToSign)
        let signature = signer.signature(stringToSign: toSign, timestamp: timestamp)
        #expect(
            signer.authorization(signedHeaders: canonical.signedHeaders, signature: signature, timestamp: timestamp)
                == vector.authorization)
    }

    @Test("signing key: the AWS General Reference's derivation example")
    func signingKeyExample() throws {
        let signer = SigV4Signer(
            credentials: SigV4Credentials(
                accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1", service: "iam")
        let key = signer.signingKey(try #require(SigV4Timestamp(amzDate: "20120215T000000Z")))
        #expect(key.hexString == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    // MARK: The S3 documentation's examples

    static let documentation = SigV4Signer(
        credentials: SigV4Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
        region: "us-east-1")
    static let documentationTime = SigV4Timestamp(amzDate: "20130524T000000Z")!
    static let documentationHost: HTTPHeaders = ["Host": "examplebucket.s3.amazonaws.com"]

    @Test("S3 docs: GET Object with a Range header")
    func documentationGetObject() {
        var headers = Self.documentationHost
        headers["Range"] = "bytes=0-9"
        let signed = Self.documentation.sign(
            method: .get, path: "/test.txt", query: [], headers: headers,
            payloadHash: SigV4Signer.emptyPayloadHash, timestamp: Self.documentationTime)
        #expect(
            signed.canonicalRequest.text == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """)
        #expect(
            signed.stringToSign == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """)
        #expect(signed.signature == "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
        #expect(
            signed.authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test("S3 docs: PUT Object, a '$' in the key and a signed payload")
    func documentationPutObject() {
        let body = Data("Welcome to Amazon S3.".utf8)
        var headers = Self.documentationHost
        headers["Date"] = "Fri, 24 May 2013 00:00:00 GMT"
        headers["x-amz-storage-class"] = "REDUCED_REDUNDANCY"
        let payloadHash = SigV4Signer.sha256Hex(body)
        #expect(payloadHash == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072")
        let signed = Self.documentation.sign(
            method: .put, path: "/test$file.text", query: [], headers: headers,
            payloadHash: payloadHash, timestamp: Self.documentationTime)
        #expect(
            signed.canonicalRequest.text == """
                PUT
                /test%24file.text

                date:Fri, 24 May 2013 00:00:00 GMT
                host:examplebucket.s3.amazonaws.com
                x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
                x-amz-date:20130524T000000Z
                x-amz-storage-class:REDUCED_REDUNDANCY

                date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class
                44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072
                """)
        #expect(signed.stringToSign.hasSuffix("\n9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d"))
        #expect(signed.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd")
    }

    @Test("S3 docs: GET Bucket Lifecycle, a parameter without a value")
    func documentationLifecycle() {
        let signed = Self.documentation.sign(
            method: .get, path: "/", query: [("lifecycle", "")], headers: Self.documentationHost,
            payloadHash: SigV4Signer.emptyPayloadHash, timestamp: Self.documentationTime)
        #expect(signed.canonicalRequest.text.hasPrefix("GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\n"))
        #expect(signed.stringToSign.hasSuffix("\n9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca"))
        #expect(signed.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543")
    }

    @Test("S3 docs: GET Bucket (List Objects), parameters sorted")
    func documentationListObjects() {
        let signed = Self.documentation.sign(
            method: .get, path: "/", query: [("prefix", "J"), ("max-keys", "2")],
            headers: Self.documentationHost, payloadHash: SigV4Signer.emptyPayloadHash,
            timestamp: Self.documentationTime)
        #expect(signed.canonicalRequest.text.hasPrefix("GET\n/\nmax-keys=2&prefix=J\n"))
        #expect(signed.stringToSign.hasSuffix("\ndf57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7"))
        #expect(signed.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7")
    }

    // MARK: botocore (Tests/Fixtures/sigv4-botocore.json, from testenv/sigv4_fixtures.py)

    struct BotocoreFile: Decodable {
        let timestamp: String
        let cases: [BotocoreCase]
    }

    struct BotocoreCase: Decodable, Sendable, CustomTestStringConvertible {
        let name: String
        let method: String
        let host: String
        let path: String
        let encodedPath: String
        let query: [[String]]
        let headers: [[String]]
        let bodyBase64: String
        let accessKeyID: String
        let secretAccessKey: String
        let sessionToken: String?
        let region: String
        let canonicalRequest: String
        let stringToSign: String
        let authorization: String
        var testDescription: String { name }
    }

    static let botocore: BotocoreFile? = try? JSONDecoder().decode(BotocoreFile.self, from: Fixture.data("sigv4-botocore.json"))

    @Test("the botocore fixture holds its 11 cases")
    func botocoreIsComplete() throws {
        #expect(try #require(Self.botocore).cases.count == 11)
    }

    @Test(
        "botocore: the same path encoding, canonical request, string to sign and Authorization",
        arguments: botocore?.cases ?? [])
    func botocoreCase(_ testCase: BotocoreCase) throws {
        let file = try #require(Self.botocore)
        let signer = SigV4Signer(
            credentials: SigV4Credentials(
                accessKeyID: testCase.accessKeyID, secretAccessKey: testCase.secretAccessKey,
                sessionToken: testCase.sessionToken),
            region: testCase.region)
        var headers = HTTPHeaders(testCase.headers.map { (name: $0[0], value: $0[1]) })
        headers["Host"] = testCase.host
        let body = try #require(Data(base64Encoded: testCase.bodyBase64))
        let signed = signer.sign(
            method: HTTPMethod(rawValue: testCase.method), path: testCase.path,
            query: testCase.query.map { (name: $0[0], value: $0[1]) }, headers: headers,
            payloadHash: SigV4Signer.sha256Hex(body), timestamp: try #require(SigV4Timestamp(amzDate: file.timestamp)))
        #expect(SigV4Signer.canonicalURI(testCase.path) == testCase.encodedPath)
        #expect(signed.canonicalRequest.text == testCase.canonicalRequest)
        #expect(signed.stringToSign == testCase.stringToSign)
        #expect(signed.authorization == testCase.authorization)
        if let token = testCase.sessionToken {
            #expect(signed.headers["x-amz-security-token"] == token)
        }
    }

    // MARK: Pieces

    @Test("canonical headers: names lower-cased and sorted, values trimmed, runs of spaces collapsed, repeats joined")
    func canonicalHeaders() {
        let headers: HTTPHeaders = ["X-B": "  two   words ", "x-a": "1", "X-A": "\t2"]
        let (block, signed) = SigV4Signer.canonicalHeaders(headers)
        #expect(block == "x-a:1,2\nx-b:two words\n")
        #expect(signed == "x-a;x-b")
    }

    @Test("timestamps: x-amz-date and the scope's date, in UTC")
    func timestamps() throws {
        let timestamp = SigV4Timestamp(Date(timeIntervalSince1970: 1_779_357_600.9))
        #expect(timestamp.amzDate == "20260521T100000Z")
        #expect(timestamp.dateStamp == "20260521")
        #expect(SigV4Timestamp(amzDate: "2026-05-21T10:00:00Z") == nil)
    }

    @Test("credentials never print their secret or token")
    func credentialsAreMasked() {
        let credentials = SigV4Credentials(accessKeyID: "AKIDPRINTABLE", secretAccessKey: "s3cr3t/+value", sessionToken: "t0ken/+value")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in ["\(credentials)", String(reflecting: credentials), dumped] {
            #expect(text.contains("AKIDPRINTABLE"))
            #expect(!text.contains("s3cr3t"))
            #expect(!text.contains("t0ken"))
        }
    }
}
