import Foundation
import Logging
import Synchronization
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// The libcurl client the S3 and Kubernetes clients share: streaming (a watch), cancellation,
/// retries with Retry-After, timeouts, refused connections and what its errors say.
@Suite("HTTP client")
struct HTTPClientTests {
    let sink = LogSink(buffer: true)

    func client(_ configuration: HTTPClientConfiguration = HTTPClientConfiguration(serviceName: "Kubernetes API")) -> HTTPClient {
        HTTPClient(
            configuration: configuration,
            logger: Logger(label: "test") { label in
                TasterLogHandler(label: label, format: .text, level: .trace, sink: sink)
            })
    }

    @Test("a stream delivers lines as they arrive, reassembles lines split across chunks, and stops within a second of cancellation")
    func watchStreamCancellation() async throws {
        let server = try ScriptedHTTPServer([
            .streamThenIdle(chunks: [
                #"{"type":"ADDED","object":{"n":1}}"# + "\n" + #"{"type":"MOD"#,
                #"IFIED","object":{"n":2}}"# + "\r\n",
            ])
        ])
        defer { server.stop() }
        let received = Mutex<[String]>([])
        let client = client()
        let watch = Task {
            let stream = try await client.streamLines(HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/api/v1/pods?watch=1"))
            #expect(stream.status == 200)
            #expect(stream.headers["Content-Type"] == "application/json")
            for try await line in stream {
                received.withLock { $0.append(String(decoding: line, as: UTF8.self)) }
            }
        }
        try await waitUntil { received.withLock { $0.count } == 2 }
        #expect(received.withLock { $0 } == [#"{"type":"ADDED","object":{"n":1}}"#, #"{"type":"MODIFIED","object":{"n":2}}"#])

        // The server now sends nothing at all, as an idle watch does. Cancel the consumer.
        let cancelledAt = ContinuousClock.now
        watch.cancel()
        _ = await watch.result
        try await waitUntil(timeout: .seconds(5)) { !server.hangUps.isEmpty }
        let hungUpAfter = cancelledAt.duration(to: server.hangUps[0])
        // An idle watch would otherwise stay open for good; the bound leaves room for a busy machine.
        #expect(hungUpAfter < .seconds(4), "the connection closed \(hungUpAfter) after cancellation")
    }

    @Test("a stream answered with an error status throws HTTPStatusError carrying the body")
    func streamErrorStatus() async throws {
        let body = #"{"kind":"Status","reason":"Forbidden","code":403}"#
        let server = try ScriptedHTTPServer([.respond(status: 403, headers: ["Content-Type": "application/json"], body: body)])
        defer { server.stop() }
        let error = try await #require(throws: HTTPStatusError.self) {
            _ = try await client().streamLines(HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/api/v1/pods?watch=1&token=abc"))
        }
        #expect(error.status == 403)
        #expect(String(decoding: error.body, as: UTF8.self) == body)
        #expect(error.description.contains("Kubernetes API GET http://127.0.0.1:\(server.port)/api/v1/pods?watch=1&token=**** answered HTTP 403"))
        #expect(!error.description.contains("abc"))
    }

    @Test("a line longer than the limit ends the stream with an error instead of growing without bound")
    func streamLineLimit() async throws {
        let server = try ScriptedHTTPServer([.streamThenIdle(chunks: [String(repeating: "x", count: 5000)])])
        defer { server.stop() }
        let client = client()
        let stream = try await client.streamLines(HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/watch"), maxLineBytes: 1024)
        let error = try await #require(throws: HTTPError.self) {
            for try await _ in stream {}
        }
        #expect(error.kind == .responseTooLarge(limit: 1024, declaredSize: nil))
    }

    @Test("a stream of an S3 object from SeaweedFS arrives line by line, whole")
    func streamFromSeaweed() async throws {
        let settings = try S3TestClient.settings()
        let s3 = try S3TestClient.make(settings)
        let key = TestStack.uniqueName("stream") + "/events.ndjson"
        let lines = (0..<3000).map { #"{"seq":\#($0),"pad":"\#(String(repeating: "p", count: $0 % 97))"}"# }
        try await s3.put(key: key, data: Data(lines.joined(separator: "\n").utf8), contentType: "application/x-ndjson", createOnly: true)

        // A signed GET, streamed.
        let target = S3RequestTarget(endpoint: settings.effectiveEndpoint, addressing: .path, bucket: s3.bucket, key: key)
        let signature = s3.signer.sign(
            method: .get, path: target.path, query: [], headers: ["Host": target.host],
            payloadHash: SigV4Signer.emptyPayloadHash, timestamp: SigV4Timestamp(Date()))
        let stream = try await client().streamLines(HTTPRequest(method: .get, url: target.url(query: ""), headers: signature.headers))
        var received: [String] = []
        for try await line in stream { received.append(String(decoding: line, as: UTF8.self)) }
        #expect(received == lines)

        // A missing key: the stream call itself throws, with S3's XML in the body.
        let missing = S3RequestTarget(endpoint: settings.effectiveEndpoint, addressing: .path, bucket: s3.bucket, key: key + ".absent")
        let missingSignature = s3.signer.sign(
            method: .get, path: missing.path, query: [], headers: ["Host": missing.host],
            payloadHash: SigV4Signer.emptyPayloadHash, timestamp: SigV4Timestamp(Date()))
        let error = try await #require(throws: HTTPStatusError.self) {
            _ = try await client().streamLines(HTTPRequest(method: .get, url: missing.url(query: ""), headers: missingSignature.headers))
        }
        #expect(error.status == 404)
        #expect(S3ErrorResponse.parse(String(decoding: error.body, as: UTF8.self))?.code == "NoSuchKey")
    }

    @Test("503 with Retry-After is retried after the requested wait; the response reports its attempts")
    func retryAfter() async throws {
        let server = try ScriptedHTTPServer([
            .respond(status: 503, headers: ["Retry-After": "1"]),
            .respond(status: 200, body: "ready"),
        ])
        defer { server.stop() }
        let policy = RetryPolicy(
            maxAttempts: 3, backoff: Backoff(base: .milliseconds(1), cap: .milliseconds(1)),
            retryableStatuses: [409, 429, 503], honoursRetryAfter: true)
        let started = ContinuousClock.now
        let response = try await client().execute(
            HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/readyz"),
            retry: policy, deadline: Deadline(budget: .seconds(30)))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "ready")
        #expect(response.attempts == 2)
        #expect(started.duration(to: .now) >= .seconds(1))
        #expect(server.requests.count == 2)
        #expect(sink.written.contains { $0.contains("answered HTTP 503; trying again in 1.0 s (attempt 2 of 3)") })
    }

    @Test("a Retry-After beyond the deadline is not waited for: the 503 comes back at once")
    func retryAfterBeyondDeadline() async throws {
        let server = try ScriptedHTTPServer([.respond(status: 503, headers: ["Retry-After": "120"])])
        defer { server.stop() }
        let started = ContinuousClock.now
        let response = try await client().execute(
            HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/"),
            retry: RetryPolicy(honoursRetryAfter: true), deadline: Deadline(budget: .seconds(60)))
        #expect(response.status == 503)
        #expect(response.attempts == 1)
        // Waiting would take the whole 60 s deadline; a loaded 2-core machine took 4.5 s to answer.
        #expect(started.duration(to: .now) < .seconds(20))
    }

    @Test("a server that never answers times out, naming the limit")
    func timeout() async throws {
        let server = try ScriptedHTTPServer([.hang])
        defer { server.stop() }
        let error = try await #require(throws: HTTPError.self) {
            _ = try await client().send(
                HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/slow", timeout: .milliseconds(400)),
                deadline: Deadline(budget: .seconds(30)))
        }
        #expect(error.kind == .timedOut(.milliseconds(400)))
        #expect(error.description.contains("Kubernetes API GET http://127.0.0.1:\(server.port)/slow failed: no complete response within 400ms"))
        #expect(!error.stoppedByDeadline)
    }

    @Test("a timeout cut short by the run's deadline says so")
    func timeoutAtDeadline() async throws {
        let server = try ScriptedHTTPServer([.hang])
        defer { server.stop() }
        let error = try await #require(throws: HTTPError.self) {
            _ = try await client().send(
                HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/slow"),
                deadline: Deadline(budget: .milliseconds(300)))
        }
        #expect(error.stoppedByDeadline)
        #expect(error.description.contains("TASTER_DEADLINE"))
    }

    @Test("a refused connection names the method and the URL with its signature masked, and curl's message")
    func refusedConnection() async throws {
        let port = TCPProbe.freePort()
        let url = "http://127.0.0.1:\(port)/bucket/key?X-Amz-Signature=deadbeef&X-Amz-Credential=AKID%2F1&prefix=a"
        let error = try await #require(throws: HTTPError.self) {
            _ = try await client(HTTPClientConfiguration(serviceName: "S3")).send(
                HTTPRequest(method: .put, url: url, body: Data("{}".utf8)),
                deadline: Deadline(budget: .seconds(10)))
        }
        #expect(error.kind == .connectionFailed)
        #expect(error.isTransient)
        #expect(
            error.description.hasPrefix(
                "S3 PUT http://127.0.0.1:\(port)/bucket/key?X-Amz-Signature=****&X-Amz-Credential=****&prefix=a failed: could not connect (curl: "))
        #expect(error.description.contains("Connection refused") || error.description.contains("Couldn't connect"))
        #expect(!error.description.contains("deadbeef"))
    }

    @Test("a header that would split the request is refused before anything is sent")
    func headerInjection() async throws {
        let server = try ScriptedHTTPServer([.respond(status: 200)])
        defer { server.stop() }
        let error = try await #require(throws: HTTPError.self) {
            _ = try await client().send(
                HTTPRequest(
                    method: .get, url: "http://127.0.0.1:\(server.port)/",
                    headers: ["X-Evil": "a\r\nInjected: yes"]),
                deadline: Deadline(budget: .seconds(5)))
        }
        #expect(error.kind == .invalidRequest)
        #expect(server.requests.isEmpty)
    }

    @Test("a cancelled request stops promptly")
    func cancelledRequest() async throws {
        let server = try ScriptedHTTPServer([.hang])
        defer { server.stop() }
        let client = client()
        let request = Task {
            try await client.send(HTTPRequest(method: .get, url: "http://127.0.0.1:\(server.port)/slow"), deadline: Deadline(budget: .seconds(60)))
        }
        try await waitUntil { server.requests.count == 1 }
        let cancelledAt = ContinuousClock.now
        request.cancel()
        let result = await request.result
        // Far inside the request's 60 s deadline, with room for a busy machine.
        #expect(cancelledAt.duration(to: .now) < .seconds(5))
        #expect(throws: CancellationError.self) { try result.get() }
    }

    @Test("against the Kubernetes API emulator: CA from memory, a bearer token read for each attempt, POST, GET, DELETE")
    func kubernetesEmulator() async throws {
        let caPEM = try Data(contentsOf: URL(fileURLWithPath: try TestStack.caFile))
        let client = client(
            HTTPClientConfiguration(
                serviceName: "Kubernetes API",
                tlsVerificationAdvice: "check the kubeconfig's certificate-authority-data",
                tls: TLSConfiguration(certificateAuthority: .pem(caPEM))))
        let base = try TestStack.kubeURL
        let tokenFile = try TestStack.kubeTokenFile
        let deadline = Deadline(budget: .seconds(30))
        let policy = RetryPolicy(retryableStatuses: [409, 429, 500, 502, 503, 504], honoursRetryAfter: true)
        let name = TestStack.uniqueName("http")
        @Sendable func request(_ method: HTTPMethod, _ path: String, body: String? = nil) -> @Sendable (Int) throws -> HTTPRequest {
            { _ in
                // The token file rotates: read it for every attempt.
                let token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
                var headers: HTTPHeaders = ["Authorization": "Bearer \(token)", "Accept": "application/json"]
                if body != nil { headers["Content-Type"] = "application/json" }
                return HTTPRequest(method: method, url: base + path, headers: headers, body: body.map { Data($0.utf8) })
            }
        }
        let pod =
            #"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"taster"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}"#
        let created = try await client.execute(retry: .never, deadline: deadline, request(.post, "/api/v1/namespaces/pxbbq/pods", body: pod))
        #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
        let fetched = try await client.execute(retry: policy, deadline: deadline, request(.get, "/api/v1/namespaces/pxbbq/pods/\(name)"))
        #expect(fetched.status == 200)
        let object = try JSONSerialization.jsonObject(with: fetched.body) as? [String: Any]
        #expect((object?["metadata"] as? [String: Any])?["name"] as? String == name)
        let deleted = try await client.execute(retry: policy, deadline: deadline, request(.delete, "/api/v1/namespaces/pxbbq/pods/\(name)"))
        #expect(deleted.status == 200)
        let gone = try await client.execute(retry: policy, deadline: deadline, request(.get, "/api/v1/namespaces/pxbbq/pods/\(name)"))
        #expect(gone.status == 404)
        #expect(sink.written.allSatisfy { !$0.contains("Bearer") }, "the Authorization header is never logged")

        // Without the CA: the caller's advice, not S3's.
        let untrusted = try await #require(throws: HTTPError.self) {
            _ = try await self.client().send(HTTPRequest(method: .get, url: base + "/version"), deadline: deadline)
        }
        #expect(untrusted.kind == .certificateVerificationFailed)
        #expect(untrusted.description.contains("Kubernetes API GET \(base)/version failed: certificate verify failed"))
    }

    @Test(
        "a client certificate and key (kubeconfig client-certificate-data) are loaded from memory or files; a key that does not match is a TLS settings error")
    func clientCertificate() async throws {
        let folder = try TemporaryDirectory("client-cert")
        for stem in ["taster", "other"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try TestStack.python)
            process.arguments = [
                try TestStack.testenvDirectory + "/tlsgen.py", "client", folder.url.path, stem,
                try TestStack.caFile, try TestStack.caKeyFile, "--cn", stem,
            ]
            try process.run()
            process.waitUntilExit()
            try #require(process.terminationStatus == 0)
        }
        let caPEM = try Data(contentsOf: URL(fileURLWithPath: try TestStack.caFile))
        let certificate = try Data(contentsOf: folder.path("taster.crt"))
        let key = try Data(contentsOf: folder.path("taster.key"))
        let url = try TestStack.kubeURL + "/version"
        let token = try String(contentsOfFile: try TestStack.kubeTokenFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let request = HTTPRequest(method: .get, url: url, headers: ["Authorization": "Bearer \(token)"])
        // The emulator does not ask for a client certificate; OpenSSL still loads and checks the pair.
        for tls in [
            TLSConfiguration(certificateAuthority: .pem(caPEM), clientCertificate: .pem(certificate), clientKey: .pem(key)),
            TLSConfiguration(
                certificateAuthority: .file(try TestStack.caFile), clientCertificate: .file(folder.path("taster.crt").path),
                clientKey: .file(folder.path("taster.key").path)),
        ] {
            let response = try await client(HTTPClientConfiguration(serviceName: "Kubernetes API", tls: tls))
                .send(request, deadline: Deadline(budget: .seconds(10)))
            #expect(response.status == 200)
        }
        let mismatched = TLSConfiguration(
            certificateAuthority: .pem(caPEM), clientCertificate: .pem(certificate),
            clientKey: .pem(try Data(contentsOf: folder.path("other.key"))))
        let error = try await #require(throws: HTTPError.self) {
            _ = try await client(HTTPClientConfiguration(serviceName: "Kubernetes API", tls: mismatched))
                .execute(request, retry: RetryPolicy(), deadline: Deadline(budget: .seconds(10)))
        }
        #expect(error.kind == .tlsConfigurationFailed)
        #expect(error.attempts == 1, "not retried")
        #expect(error.description.contains("client certificate and key"))
    }

    private func waitUntil(timeout: Duration = .seconds(10), _ condition: () -> Bool) async throws {
        let end = ContinuousClock.now.advanced(by: timeout)
        while !condition() {
            guard ContinuousClock.now < end else { throw TestFailure("condition not met within \(timeout)") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
