import Foundation
import Logging
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterS3
@testable import TasterSupport

/// The S3 client against the stack's SeaweedFS, which verifies every signature. Keys are
/// unique per test (tests run in parallel).
@Suite("S3 client against SeaweedFS")
struct S3ClientTests {
    let prefix = TestStack.uniqueName("s3test")

    @Test("a JSON report round-trips: put, head, get, list, delete")
    func roundTrip() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let report = Data(#"{"schema":"taster.report/v1","orders":1200,"note":"ünïcödé"}"#.utf8)
        let key = "\(prefix)/runs/r1/pre.json"
        let etag = try await client.put(key: key, data: report, createOnly: true)
        #expect(etag?.isEmpty == false)
        let info = try #require(try await client.head(key: key))
        #expect(info.size == Int64(report.count))
        #expect(info.contentType == "application/json")
        #expect(try await client.get(key: key, maxBytes: 1 << 20) == report)
        #expect(try await client.list(prefix: "\(prefix)/").map(\.key) == [key])
        try await client.delete(key: key)
        #expect(try await client.head(key: key) == nil)
        await #expect(throws: S3Error.self) { try await client.get(key: key, maxBytes: 1 << 20) }
    }

    @Test("a spool file larger than a part goes up in parts, create-only, and comes back by ranges intact")
    func multipart() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let writer = try SpoolWriter(name: "s3test")
        var generator = SystemRandomNumberGenerator()
        let size = S3Client.partSize * 2 + 12_345
        var block = (0..<(1 << 20)).map { _ in UInt8.random(in: 0...255, using: &generator) }
        var number: UInt8 = 0
        while writer.count < size {
            // Every mebibyte different, so a part sent twice or out of order would show.
            number &+= 1
            block[0] = number
            try writer.write(block.prefix(min(block.count, size - writer.count)))
        }
        let file = try writer.finish()
        let key = "\(prefix)/runs/r1/index/pre/big.tidx"
        try await client.put(key: key, file: file, contentType: "application/octet-stream", createOnly: true)
        #expect(try await client.head(key: key)?.size == Int64(size))
        await #expect(throws: S3Error.self) {
            try await client.put(key: key, file: file, contentType: "application/octet-stream", createOnly: true)
        }
        let back = try #require(try await client.download(key: key, maxBytes: size))
        #expect(back.size == size)
        #expect(try back.read(at: 0, count: size) == (try file.read(at: 0, count: size)))
        await #expect(throws: S3ObjectTooLargeError.self) { _ = try await client.download(key: key, maxBytes: size - 1) }
        #expect(try await client.download(key: key + ".missing", maxBytes: size) == nil)
        try await client.delete(key: key)
    }

    @Test("keys with spaces, unicode, '+', '~', '=' and '/' are stored, listed and read back exactly")
    func awkwardKeys() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let keys = [
            "\(prefix)/with space/a b.json", "\(prefix)/ünï/cödé €.json", "\(prefix)/plus+sign/1+1=2.json",
            "\(prefix)/tilde~/x~y.json", "\(prefix)/percent%41/%2F.json", "\(prefix)/amp&lt/<q>\"'.json",
        ]
        for (index, key) in keys.enumerated() {
            try await client.put(key: key, data: Data("{\"i\":\(index)}".utf8), createOnly: true)
        }
        #expect(try await client.list(prefix: "\(prefix)/").map(\.key) == keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }))
        for (index, key) in keys.enumerated() {
            #expect(try await client.get(key: key, maxBytes: 1024) == Data("{\"i\":\(index)}".utf8), "\(key)")
        }
        let withPrefix = try await client.list(prefix: "\(prefix)/plus+sign/")
        #expect(withPrefix.map(\.key) == ["\(prefix)/plus+sign/1+1=2.json"])
    }

    @Test("a listing of 1,100 keys follows continuation tokens across pages")
    func listAcrossPages() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let keys = (0..<1100).map { String(format: "\(prefix)/many/%04d.json", $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for batch in stride(from: 0, to: keys.count, by: 138) {
                group.addTask {
                    for key in keys[batch..<min(batch + 138, keys.count)] {
                        try await client.put(key: key, data: Data("{}".utf8), createOnly: false)
                    }
                }
            }
            try await group.waitForAll()
        }
        let listed = try await client.list(prefix: "\(prefix)/many/")
        #expect(listed.count == 1100)
        #expect(listed.map(\.key) == keys)
        #expect(listed.allSatisfy { $0.size == 2 })
        // Smaller pages: 1,100 keys in 5 pages of 250 (and one of 100).
        #expect(try await client.list(prefix: "\(prefix)/many/", pageSize: 250).map(\.key) == keys)
    }

    @Test("a create-only write refuses to overwrite (412) and the stored object is unchanged")
    func createOnlyRefusesOverwrite() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let key = "\(prefix)/runs/r1/verdict.json"
        let first = Data(#"{"verdict":"pass"}"#.utf8)
        try await client.put(key: key, data: first, createOnly: true)
        let error = try await #require(throws: S3Error.self) {
            try await client.put(key: key, data: Data(#"{"verdict":"changed"}"#.utf8), createOnly: true)
        }
        #expect(error.code == "PreconditionFailed")
        #expect(error.exitCode == .dependency)
        #expect(error.description.contains("already exists — refusing to overwrite"))
        #expect(error.description.contains("s3://\(try TestStack.s3Bucket)/\(key)"))
        #expect(try await client.get(key: key, maxBytes: 1024) == first)
        // Overwriting on purpose (the latest-pre.json pointer) works.
        try await client.put(key: key, data: Data("{}".utf8), createOnly: false)
        #expect(try await client.get(key: key, maxBytes: 1024) == Data("{}".utf8))
    }

    @Test("the server enforces If-None-Match itself: a conditional PUT of an existing key is 412")
    func serverEnforcesIfNoneMatch() async throws {
        // Skip the client's HEAD check and send the conditional PUT directly: the refusal must
        // come from the server, not only from taster looking first.
        let client = try S3TestClient.make(try S3TestClient.settings())
        let key = "\(prefix)/conditional.json"
        try await client.put(key: key, data: Data("1".utf8), createOnly: false)
        let error = try await #require(throws: S3Error.self) {
            try await client.send(
                "PutObject", .put, bucket: client.bucket, key: key, headers: ["If-None-Match": "*"],
                body: Data("2".utf8))
        }
        #expect(error.status == 412)
        #expect(error.code == "PreconditionFailed")
        #expect(try await client.get(key: key, maxBytes: 16) == Data("1".utf8))
    }

    @Test("a wrong secret is SignatureDoesNotMatch, exit 3, and the secret appears nowhere in the output")
    func wrongSecret() async throws {
        // Not registered with SecretRedactor: a leak would show, not be scrubbed.
        let wrongSecret = "Wr0ng/+" + UUID().uuidString
        let sink = LogSink(buffer: true)
        let client = try S3TestClient.make(try S3TestClient.settings(secretAccessKey: wrongSecret), sink: sink)
        let error = try await #require(throws: S3Error.self) {
            try await client.put(key: "\(prefix)/x.json", data: Data("{}".utf8), createOnly: false)
        }
        #expect(error.code == "SignatureDoesNotMatch")
        #expect(error.exitCode == .dependency)
        #expect(error.description.contains("check the secret key and this machine's clock"))
        #expect(error.description.contains(try TestStack.s3AccessKeyID))
        #expect(error.attempts == 1, "a refused signature is not retried")
        var dumped = ""
        dump(error, to: &dumped)
        for text in [error.description, dumped, "\(client.signer)"] + sink.written {
            #expect(!text.contains(wrongSecret))
            #expect(!text.contains(String(wrongSecret.prefix(12))))
        }
        #expect(!sink.written.isEmpty, "the client logged its requests")
    }

    @Test("an unknown access key is InvalidAccessKeyId")
    func unknownAccessKey() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings(accessKeyID: "NOSUCHKEY0123456789X"))
        let error = try await #require(throws: S3Error.self) {
            try await client.get(key: "\(prefix)/x.json", maxBytes: 1024)
        }
        #expect(error.code == "InvalidAccessKeyId")
        #expect(error.description.contains("does not know access key NOSUCHKEY0123456789X"))
        #expect(error.exitCode == .dependency)
    }

    @Test("a missing bucket is NoSuchBucket, naming the bucket")
    func missingBucket() async throws {
        let bucket = TestStack.uniqueName("nobucket")
        let client = try S3TestClient.make(try S3TestClient.settings(bucket: bucket))
        let read = try await #require(throws: S3Error.self) {
            try await client.get(key: "\(prefix)/x.json", maxBytes: 1024)
        }
        #expect(read.code == "NoSuchBucket")
        #expect(read.description.contains("bucket \"\(bucket)\" does not exist"))
        let listing = try await #require(throws: S3Error.self) { try await client.list(prefix: "\(prefix)/") }
        #expect(listing.code == "NoSuchBucket")
        // SeaweedFS answers a PUT into a missing bucket with AccessDenied; the message says so.
        let write = try await #require(throws: S3Error.self) {
            try await client.put(key: "\(prefix)/x.json", data: Data("{}".utf8), createOnly: false)
        }
        #expect(write.code == "AccessDenied")
        #expect(write.description.contains("when bucket \"\(bucket)\" does not exist"))
    }

    @Test("a refused HEAD says why, as a GET would: signature, unknown key, skewed clock (with both clocks)")
    func refusedHeadSaysWhy() async throws {
        let key = "\(prefix)/head.json"
        let wrongSecret = try S3TestClient.make(try S3TestClient.settings(secretAccessKey: "Wr0ng/+" + UUID().uuidString))
        let signature = try await #require(throws: S3Error.self) { _ = try await wrongSecret.head(key: key) }
        #expect(signature.code == "SignatureDoesNotMatch" && signature.operation == "HeadObject")
        // A create-only put looks with HEAD first: the same answer, not "may not s3:GetObject".
        let put = try await #require(throws: S3Error.self) {
            try await wrongSecret.put(key: key, data: Data("{}".utf8), createOnly: true)
        }
        #expect(put.code == "SignatureDoesNotMatch", "\(put)")
        let unknown = try S3TestClient.make(try S3TestClient.settings(accessKeyID: "NOSUCHKEY0123456789X"))
        #expect(try await #require(throws: S3Error.self) { _ = try await unknown.head(key: key) }.code == "InvalidAccessKeyId")
        let skewed = try S3TestClient.make(try S3TestClient.settings(), now: { Date().addingTimeInterval(1200) })
        let clock = try await #require(throws: S3Error.self) { _ = try await skewed.head(key: key) }
        #expect(clock.code == "RequestTimeTooSkewed")
        #expect(clock.description.contains("(server: ") && clock.description.contains(", ours: "), "\(clock)")
    }

    @Test("exists tells an object, no object and a missing bucket apart in one request")
    func exists() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        try await client.put(key: "\(prefix)/there.json", data: Data("{}".utf8), createOnly: true)
        try await client.put(key: "\(prefix)/empty.json", data: Data(), createOnly: true)
        #expect(try await client.exists(key: "\(prefix)/there.json"))
        #expect(try await client.exists(key: "\(prefix)/empty.json"))
        #expect(try await !client.exists(key: "\(prefix)/absent.json"))
        let bucket = TestStack.uniqueName("nobucket")
        let elsewhere = try S3TestClient.make(try S3TestClient.settings(bucket: bucket))
        let missing = try await #require(throws: S3Error.self) { _ = try await elsewhere.exists(key: "\(prefix)/there.json") }
        #expect(missing.code == "NoSuchBucket")
        #expect(missing.description.contains("bucket \"\(bucket)\" does not exist"))
    }

    @Test("an identity with only Read and List gets AccessDenied on put, naming the action")
    func readOnlyIdentity() async throws {
        let client = try S3TestClient.make(
            try S3TestClient.settings(
                accessKeyID: TestStack.s3ReadOnlyAccessKeyID,
                secretAccessKey: TestStack.s3ReadOnlySecretAccessKey))
        let error = try await #require(throws: S3Error.self) {
            try await client.put(key: "\(prefix)/x.json", data: Data("{}".utf8), createOnly: false)
        }
        #expect(error.code == "AccessDenied")
        #expect(error.description.contains("may not s3:PutObject"))
        // Reading is allowed.
        #expect(try await client.list(prefix: "\(prefix)/").isEmpty)
    }

    @Test("a missing key is NoSuchKey on get, nil on head")
    func missingKey() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let error = try await #require(throws: S3Error.self) {
            try await client.get(key: "\(prefix)/absent.json", maxBytes: 1024)
        }
        #expect(error.code == "NoSuchKey")
        #expect(error.description.contains("s3://\(try TestStack.s3Bucket)/\(prefix)/absent.json"))
        #expect(try await client.head(key: "\(prefix)/absent.json") == nil)
    }

    @Test("get refuses an object over its size cap without reading it")
    func sizeCap() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let key = "\(prefix)/big.bin"
        let big = Data(repeating: 0x5A, count: 3 << 20)
        try await client.put(key: key, data: big, contentType: "application/octet-stream", createOnly: true)
        let error = try await #require(throws: S3ObjectTooLargeError.self) {
            try await client.get(key: key, maxBytes: 1 << 20)
        }
        #expect(error.size == Int64(big.count), "the declared size is reported")
        #expect(error.description.contains("more than the 1048576-byte limit"))
        #expect(error.exitCode == .dependency)
        // Under the cap it reads fine.
        #expect(try await client.get(key: key, maxBytes: 4 << 20).count == big.count)
    }

    @Test("a clock an hour off is RequestTimeTooSkewed")
    func clockSkew() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings(), now: { Date().addingTimeInterval(-3600) })
        let error = try await #require(throws: S3Error.self) {
            try await client.get(key: "\(prefix)/x.json", maxBytes: 1024)
        }
        #expect(error.code == "RequestTimeTooSkewed")
        #expect(error.description.contains("fix the clock"))
    }

    @Test("a body that does not match its Content-MD5 is BadDigest")
    func badDigest() async throws {
        let client = try S3TestClient.make(try S3TestClient.settings())
        let error = try await #require(throws: S3Error.self) {
            try await client.send(
                "PutObject", .put, bucket: client.bucket, key: "\(prefix)/digest.json",
                headers: ["Content-MD5": "AAAAAAAAAAAAAAAAAAAAAA=="], body: Data("{}".utf8))
        }
        #expect(error.code == "BadDigest")
        #expect(error.description.contains("do not match their checksum"))
        #expect(try await client.head(key: "\(prefix)/digest.json") == nil)
    }

    @Test("reports land under the documented layout, the pointer is replaced, and s3:// URIs read them back")
    func reportLayout() async throws {
        let settings = try S3TestClient.settings()
        let client = try S3TestClient.make(settings)
        let layout = ReportLayout(prefix: prefix)
        for run in ["r1", "r2"] {
            let key = layout.key(.pre, run: run)
            try await client.put(key: key, data: Data("{\"run\":\"\(run)\"}".utf8), createOnly: true)
            let pointer = BaselinePointer(runID: run, key: key, takenAt: Timestamp.rfc3339(), finishedAt: Timestamp.rfc3339())
            try await client.put(key: layout.latestPreKey, data: try ReportCodec.encode(pointer), createOnly: false)
        }
        let pointerURI = S3URI(bucket: client.bucket, key: layout.latestPreKey)
        let pointer = try ReportCodec.decode(
            BaselinePointer.self, from: try await client.get(pointerURI, maxBytes: 4096),
            supported: 1, source: pointerURI.description)
        #expect(pointer.runID == "r2")
        #expect(pointer.key == "\(prefix)/runs/r2/pre.json")
        let baseline = try S3URI.parse("s3://\(client.bucket)/\(pointer.key)").get()
        #expect(try await client.get(baseline, maxBytes: 4096) == Data(#"{"run":"r2"}"#.utf8))
        #expect(
            try await client.list(prefix: layout.runsPrefix).map(\.key)
                == ["\(prefix)/runs/r1/pre.json", "\(prefix)/runs/r2/pre.json"])
    }
}
