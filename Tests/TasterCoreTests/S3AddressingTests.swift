import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// How keys become URLs: S3's URI encoding, path-style and virtual-hosted targets, `s3://` URIs.
@Suite("S3 addressing and encoding")
struct S3AddressingTests {
    @Test("keys keep '/', '~' and the unreserved characters; spaces, unicode, '+', '=' and the rest are %XX")
    func keyEncoding() {
        #expect(S3URIEncoding.encodePath("runs/my report+v1 ~=ü.json") == "runs/my%20report%2Bv1%20~%3D%C3%BC.json")
        #expect(S3URIEncoding.encodePath("a//b/./c/../d") == "a//b/./c/../d", "never normalised")
        #expect(S3URIEncoding.encodePath("%41") == "%2541", "a '%' in a key is a character, encoded once")
        #expect(S3URIEncoding.encodeQueryComponent("taster/app/") == "taster%2Fapp%2F")
        #expect(S3URIEncoding.encodeQueryComponent("1/xyz+abc==") == "1%2Fxyz%2Babc%3D%3D")
        #expect(S3URIEncoding.encodeQueryComponent("-_.~AZaz09") == "-_.~AZaz09")
    }

    @Test("path-style: https://endpoint/bucket/key, the port only when it is not the default")
    func pathStyle() {
        let endpoint = S3Endpoint(scheme: "https", host: "minio.example.com", port: 9000)
        let target = S3RequestTarget(endpoint: endpoint, addressing: .path, bucket: "taster-reports", key: "a b/c.json")
        #expect(target.host == "minio.example.com:9000")
        #expect(target.path == "/taster-reports/a b/c.json")
        #expect(target.url(query: "") == "https://minio.example.com:9000/taster-reports/a%20b/c.json")
        let standard = S3RequestTarget(endpoint: .aws(region: "eu-west-1"), addressing: .path, bucket: "b-1", key: nil)
        #expect(standard.url(query: "list-type=2&prefix=x") == "https://s3.eu-west-1.amazonaws.com/b-1?list-type=2&prefix=x")
        #expect(standard.host == "s3.eu-west-1.amazonaws.com")
        let explicitDefault = S3RequestTarget(
            endpoint: S3Endpoint(scheme: "http", host: "s3.local", port: 80), addressing: .path,
            bucket: "b-1", key: "k")
        #expect(explicitDefault.url(query: "") == "http://s3.local/b-1/k")
        let ipv6 = S3RequestTarget(endpoint: S3Endpoint(scheme: "http", host: "::1", port: 9000), addressing: .path, bucket: "b-1", key: "k")
        #expect(ipv6.url(query: "") == "http://[::1]:9000/b-1/k")
    }

    @Test("virtual-hosted: https://bucket.endpoint/key")
    func virtualHosted() {
        let target = S3RequestTarget(endpoint: .aws(region: "us-east-1"), addressing: .virtual, bucket: "taster-reports", key: "x/y.json")
        #expect(target.host == "taster-reports.s3.us-east-1.amazonaws.com")
        #expect(target.path == "/x/y.json")
        #expect(target.url(query: "") == "https://taster-reports.s3.us-east-1.amazonaws.com/x/y.json")
        let bucketLevel = S3RequestTarget(endpoint: .aws(region: "us-east-1"), addressing: .virtual, bucket: "taster-reports", key: nil)
        #expect(bucketLevel.url(query: "list-type=2") == "https://taster-reports.s3.us-east-1.amazonaws.com/?list-type=2")
    }

    @Test("s3:// URIs: bucket and key, or an error saying what is wrong")
    func s3URIs() throws {
        let uri = try S3URI.parse("s3://taster-reports/taster/pxbbq/pxbbq/runs/r1/pre.json").get()
        #expect(uri.bucket == "taster-reports")
        #expect(uri.key == "taster/pxbbq/pxbbq/runs/r1/pre.json")
        #expect(uri.description == "s3://taster-reports/taster/pxbbq/pxbbq/runs/r1/pre.json")
        #expect(try S3URI.parse("s3://b-1/a b%20c").get().key == "a b%20c", "taken literally")
        #expect(S3URI.isS3URI("S3://b-1/k"))
        #expect(!S3URI.isS3URI("./pre.json"))
        for (text, reason) in [
            ("s3://taster-reports", "no object key"), ("s3://taster-reports/", "no object key"),
            ("s3://Bad_Bucket/k", "not a valid bucket name"), ("https://x/y", "does not start with s3://"),
        ] {
            guard case .failure(let error) = S3URI.parse(text) else {
                Issue.record("\(text) parsed")
                continue
            }
            #expect(error.description.contains(reason))
            #expect(error.description.contains("s3://BUCKET/KEY"))
            #expect(error.exitCode == .usage)
        }
    }
}
