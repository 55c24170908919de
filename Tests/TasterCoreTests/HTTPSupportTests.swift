import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

/// The HTTP client's small parts: URL redaction, Retry-After, line splitting, headers, TLS settings.
@Suite("HTTP client parts")
struct HTTPSupportTests {
    @Test("URLs in messages by allow-list: only known parameters keep their values; user info and fragments never shown")
    func redaction() {
        #expect(
            URLDisplay.show("https://h/b/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKID%2F2026&X-Amz-Signature=abc&X-Amz-Security-Token=t&prefix=a%2F")
                == "https://h/b/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=****&X-Amz-Signature=****&X-Amz-Security-Token=****&prefix=a%2F")
        #expect(URLDisplay.show("https://user:pw@h:6443/api?watch=1&access_token=xyz#frag") == "https://****@h:6443/api?watch=1&access_token=****")
        #expect(URLDisplay.show("http://127.0.0.1:8333/bucket/a%20b.json") == "http://127.0.0.1:8333/bucket/a%20b.json")
        // Names no deny-list thought of: a chat webhook's `key` and `token`, a `sig`, an `auth`.
        #expect(
            URLDisplay.show("https://chat.example.com/v1/spaces/AAAA/messages?key=AIzaK3y&token=t0ken%3D&threadKey=x")
                == "https://chat.example.com/v1/spaces/AAAA/messages?key=****&token=****&threadKey=****")
        #expect(URLDisplay.origin("https://chat.example.com/v1/spaces/AAAA/messages?key=AIzaK3y&token=t0ken") == "https://chat.example.com/****")
        #expect(URLDisplay.origin("https://u:p@hooks.example.com") == "https://****@hooks.example.com")
        // An S3 endpoint given without a scheme, with a path or a query.
        #expect(URLDisplay.origin("minio.example.com:9000/?X-Amz-Security-Token=tok") == "minio.example.com:9000/****")
        #expect(URLDisplay.origin("minio.example.com:9000/") == "minio.example.com:9000")
    }

    @Test("Retry-After: seconds or an HTTP date; nonsense is ignored")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_779_357_600) // Thu, 21 May 2026 10:00:00 GMT
        #expect(RetryPolicy.parseRetryAfter("3", now: now) == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter("Thu, 21 May 2026 10:00:05 GMT", now: now) == .seconds(5))
        #expect(RetryPolicy.parseRetryAfter("Thu, 21 May 2026 09:00:00 GMT", now: now) == .zero)
        #expect(RetryPolicy.parseRetryAfter("soon", now: now) == nil)
        #expect(RetryPolicy.parseRetryAfter("-1", now: now) == nil)
        let ignoring = RetryPolicy()
        #expect(ignoring.requestedDelay(HTTPResponse(status: 503, headers: ["Retry-After": "3"], body: Data())) == nil)
    }

    @Test("a retry budget: attempts go on until it is spent, the last wait cut to its end; the deadline wins")
    func retryBudget() {
        var policy = RetryPolicy(
            maxAttempts: 2, backoff: Backoff(base: .seconds(1), cap: .seconds(4)), random: { $0.upperBound },
            budget: RetryBudget(.seconds(10), variable: "TASTER_S3_RETRY_BUDGET"))
        let deadline = Deadline(budget: .seconds(600))
        #expect(policy.next(after: 1, elapsed: .zero, minimum: nil, deadline: deadline) == .retry(after: .seconds(1)))
        // maxAttempts does not count under a budget; the backoff is capped at 4 s.
        #expect(policy.next(after: 5, elapsed: .seconds(2), minimum: nil, deadline: deadline) == .retry(after: .seconds(4)))
        #expect(policy.next(after: 5, elapsed: .seconds(8), minimum: nil, deadline: deadline) == .retry(after: .seconds(2)))
        #expect(policy.next(after: 6, elapsed: .seconds(10), minimum: nil, deadline: deadline) == .stop(.budget(policy.budget!)))
        // A Retry-After longer than what is left of the budget is not cut short: the budget is spent.
        #expect(policy.next(after: 2, elapsed: .seconds(8), minimum: .seconds(3), deadline: deadline) == .stop(.budget(policy.budget!)))
        #expect(policy.budget?.setting == "TASTER_S3_RETRY_BUDGET=10s")
        #expect(RetryBudget(.seconds(90), variable: "B").setting == "B=90s")
        #expect(RetryBudget(.milliseconds(1500), variable: "B").setting == "B=1.5s")
        // A deadline closer than the next attempt wins over the budget.
        #expect(policy.next(after: 3, elapsed: .seconds(1), minimum: nil, deadline: Deadline(budget: .seconds(2))) == .stop(.deadline))
        // A backoff that would leave less than the shortest attempt before the deadline is not slept.
        #expect(policy.next(after: 1, elapsed: .zero, minimum: nil, deadline: Deadline(budget: .milliseconds(1050))) == .stop(.deadline))
        #expect(policy.next(after: 1, elapsed: .zero, minimum: nil, deadline: Deadline(budget: .milliseconds(1500))) == .retry(after: .seconds(1)))
        policy.budget = nil
        #expect(policy.next(after: 2, elapsed: .zero, minimum: nil, deadline: deadline) == .stop(.attempts))
    }

    @Test("lines: split on \\n, \\r\\n trimmed, empty lines skipped, a partial line held until it completes")
    func lineSplitter() {
        var splitter = LineSplitter(maxLineBytes: 32)
        func push(_ text: String) -> [String]? {
            Array(text.utf8).withUnsafeBytes { splitter.push($0) }?.map { String(decoding: $0, as: UTF8.self) }
        }
        #expect(push("a\r\nb\n\n{\"x") == ["a", "b"])
        #expect(push("\":1}") == [])
        #expect(push("\nlast") == ["{\"x\":1}"])
        #expect(splitter.finish().map { String(decoding: $0, as: UTF8.self) } == "last")
        #expect(push(String(repeating: "z", count: 40)) == nil)
    }

    @Test("headers: case-insensitive, repeatable, replaceable")
    func headers() {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add(name: "Warning", value: "1")
        headers.add(name: "warning", value: "2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers.values("WARNING") == ["1", "2"])
        headers["Warning"] = "3"
        #expect(headers.values("warning") == ["3"])
        headers["Content-Type"] = nil
        #expect(!headers.contains("content-type"))
    }

    @Test("TLS settings print without key material; verification is on unless turned off explicitly")
    func tlsDescription() {
        var tls = TLSConfiguration(
            certificateAuthority: .pem(Data("ca".utf8)), clientCertificate: .file("/etc/c.crt"),
            clientKey: .pem(Data("-----BEGIN PRIVATE KEY-----secret".utf8)))
        #expect(tls.verifiesPeer)
        #expect(!tls.description.contains("secret"))
        #expect(tls.description.contains("/etc/c.crt"))
        tls.disableVerification()
        #expect(!tls.verifiesPeer)
    }

    @Test("errors: what each kind says, and which are worth another attempt")
    func errorKinds() {
        func error(_ kind: HTTPError.Kind) -> HTTPError {
            HTTPError(
                kind: kind, service: "S3", method: "GET", url: "https://h/b/k", curlMessage: "curl says", curlCode: 7,
                advice: "do this")
        }
        #expect(error(.connectionFailed).isTransient)
        #expect(error(.timedOut(.seconds(1))).isTransient)
        #expect(error(.transferFailed).isTransient)
        #expect(!error(.certificateVerificationFailed).isTransient)
        #expect(!error(.responseTooLarge(limit: 10, declaredSize: 20)).isTransient)
        #expect(error(.connectionFailed).description == "S3 GET https://h/b/k failed: could not connect (curl: curl says); do this")
        #expect(error(.responseTooLarge(limit: 10, declaredSize: 20)).description.contains("the response is 20 bytes, more than the limit of 10 bytes"))
    }
}
