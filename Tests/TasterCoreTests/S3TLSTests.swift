import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterS3
@testable import TasterSupport

/// HTTPS and virtual-hosted addressing against a SeaweedFS of the test's own, started with
/// `-s3.cert.file/-s3.key.file` (a certificate from the stack's CA) and `-s3.domainName`.
@Suite("S3 client over HTTPS and virtual-hosted addressing")
struct S3TLSTests {
    static let domain = "s3.taster.test"

    @Test("HTTPS with AWS_CA_BUNDLE (file and in memory), without it a clear verification error, and virtual-hosted names via CURLOPT_RESOLVE")
    func httpsAndVirtualHosts() async throws {
        let weed = try await PrivateSeaweed.start(tls: true, domain: Self.domain)
        defer { weed.stop() }
        let report = Data(#"{"schema":"taster.report/v1","tls":true}"#.utf8)

        // The CA from a file, as AWS_CA_BUNDLE gives it.
        let withCA = try S3TestClient.make(weed.settings())
        try await withCA.put(key: "tls/pre.json", data: report, createOnly: true)
        #expect(try await withCA.get(key: "tls/pre.json", maxBytes: 4096) == report)

        // The CA from memory (CURLOPT_CAINFO_BLOB), as a kubeconfig's certificate-authority-data gives it.
        let caPEM = try Data(contentsOf: URL(fileURLWithPath: try TestStack.caFile))
        let fromMemory = try S3TestClient.make(weed.settings(caBundle: .some(nil)), caPEM: caPEM)
        #expect(try await fromMemory.get(key: "tls/pre.json", maxBytes: 4096) == report)

        // Without the CA: the system's trust store does not know the stack's CA.
        let withoutCA = try S3TestClient.make(weed.settings(caBundle: .some(nil)))
        let error = try await #require(throws: HTTPError.self) {
            try await withoutCA.get(key: "tls/pre.json", maxBytes: 4096)
        }
        #expect(error.kind == .certificateVerificationFailed)
        #expect(error.attempts == 1, "an untrusted certificate is not retried")
        #expect(error.exitCode == .dependency)
        #expect(error.description.contains("certificate verify failed"))
        #expect(error.description.contains("set AWS_CA_BUNDLE to the CA that signed the endpoint's certificate"))
        #expect(error.description.contains("S3 GET https://127.0.0.1:\(weed.s3Port)/\(PrivateSeaweed.bucket)/tls/pre.json"))

        // A CA bundle that is not the signer's: the message names the file.
        let otherCA = try TemporaryDirectory("other-ca")
        let otherCAFile = otherCA.path("ca.crt").path
        try runTLSGen(["ca", otherCA.url.path])
        let wrongCA = try S3TestClient.make(weed.settings(caBundle: .some(otherCAFile)))
        let wrong = try await #require(throws: HTTPError.self) {
            try await wrongCA.get(key: "tls/pre.json", maxBytes: 4096)
        }
        #expect(wrong.kind == .certificateVerificationFailed)
        #expect(wrong.description.contains("AWS_CA_BUNDLE (\(otherCAFile)) does not hold the CA"))

        // Virtual-hosted: https://taster-reports.s3.taster.test:PORT/key, the name pinned to 127.0.0.1.
        let virtualSettings = weed.settings(endpointHost: Self.domain, addressing: .virtual)
        let virtual = try S3TestClient.make(
            virtualSettings,
            resolve: ["\(PrivateSeaweed.bucket).\(Self.domain):\(weed.s3Port):127.0.0.1"])
        let target = S3RequestTarget(
            endpoint: virtualSettings.effectiveEndpoint, addressing: .virtual,
            bucket: PrivateSeaweed.bucket, key: "virtual/a b+c.json")
        #expect(target.url(query: "") == "https://\(PrivateSeaweed.bucket).\(Self.domain):\(weed.s3Port)/virtual/a%20b%2Bc.json")
        try await virtual.put(key: "virtual/a b+c.json", data: report, createOnly: true)
        #expect(try await virtual.get(key: "virtual/a b+c.json", maxBytes: 4096) == report)
        #expect(try await virtual.list(prefix: "virtual/").map(\.key) == ["virtual/a b+c.json"])
        // …and the object is the same one path-style sees.
        #expect(try await withCA.get(key: "virtual/a b+c.json", maxBytes: 4096) == report)
    }

    @Test("virtual-hosted addressing refuses an IP-address endpoint before sending anything")
    func virtualNeedsAHostName() throws {
        var settings = try S3TestClient.settings()
        settings.addressing = .virtual
        #expect(throws: ConfigurationError.self) { try S3TestClient.make(settings) }
    }

    private func runTLSGen(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestStack.python)
        process.arguments = [try TestStack.testenvDirectory + "/tlsgen.py"] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }
}
