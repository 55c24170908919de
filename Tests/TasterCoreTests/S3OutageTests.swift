import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// The retry budget (`TASTER_S3_RETRY_BUDGET`) against a SeaweedFS of the test's own that goes
/// away: stopped for about 5 s during a put, several times, then stopped for good.
@Suite("S3 client when SeaweedFS goes away", .serialized)
struct S3OutageTests {
    @Test("a 5 s outage during a create-only put is ridden out every time, each retry logged with the budget used")
    func shortOutages() async throws {
        let weed = try await PrivateSeaweed.start()
        defer { weed.stop() }
        let sink = LogSink(buffer: true)
        // The real policy, jitter and all, with the default budget of 60 s.
        let client = try S3TestClient.make(weed.settings(), sink: sink, budget: .seconds(120))
        for round in 1...3 {
            let report = Data(#"{"schema":"taster.report/v1","round":\#(round)}"#.utf8)
            let key = "runs/outage-\(round)/pre.json"
            weed.stop()
            async let stored = client.put(key: key, data: report, createOnly: true)
            try await Task.sleep(for: .seconds(5))
            try weed.launch()
            _ = try await stored
            #expect(try await client.get(key: key, maxBytes: 4096) == report, "round \(round)")
        }
        let waits = sink.written.filter { $0.contains("could not connect") && $0.contains("trying again in") }
        #expect(!waits.isEmpty, "each retry is logged with its reason")
        #expect(
            waits.allSatisfy { $0.contains("of TASTER_S3_RETRY_BUDGET=60s used)") && ($0.contains("S3 HEAD") || $0.contains("S3 PUT")) },
            "\(waits)")
    }

    @Test("stopped for good: exit 3 naming the budget once it is spent; a shorter deadline wins; refusals fail at once")
    func longOutage() async throws {
        let weed = try await PrivateSeaweed.start()
        defer { weed.stop() }
        let report = Data(#"{"schema":"taster.report/v1"}"#.utf8)

        // Not retried: a wrong secret and a missing bucket fail on the first answer.
        var wrongSecret = weed.settings()
        wrongSecret.secretAccessKey = Secret("not-the-secret", origin: "AWS_SECRET_ACCESS_KEY")
        let refused = try S3TestClient.make(wrongSecret)
        let refusedAt = ContinuousClock.now
        let signature = try await #require(throws: S3Error.self) {
            try await refused.put(key: "runs/refused.json", data: report, createOnly: false)
        }
        #expect(signature.code == "SignatureDoesNotMatch" && signature.attempts == 1, "\(signature)")
        var noBucket = weed.settings()
        noBucket.bucket = "no-such-bucket-\(UUID().uuidString.prefix(8).lowercased())"
        let missing = try await #require(throws: S3Error.self) {
            try await S3TestClient.make(noBucket).put(key: "runs/missing.json", data: report, createOnly: false)
        }
        // SeaweedFS answers AccessDenied to a key limited to its bucket.
        #expect(["NoSuchBucket", "AccessDenied"].contains(missing.code) && missing.attempts == 1, "\(missing)")
        #expect(refusedAt.duration(to: .now) < .seconds(5))

        weed.stop()
        // Longer than a 3 s budget: fails closed when the budget is spent, well before the deadline.
        var short = weed.settings()
        short.retryBudget = .seconds(3)
        let budgeted = try S3TestClient.make(short, budget: .seconds(60), retry: S3TestClient.deterministicRetry(budget: .seconds(3)))
        let failedAt = ContinuousClock.now
        let spent = try await #require(throws: HTTPError.self) {
            try await budgeted.put(key: "runs/gone/pre.json", data: report, createOnly: false)
        }
        let elapsed = failedAt.duration(to: .now)
        #expect(spent.exitCode == .dependency)
        #expect(spent.kind == .connectionFailed)
        #expect(spent.attempts == 4, "attempts at 0 s, 0.5 s, 1.5 s and 3 s (the last wait cut to the budget's end)")
        #expect(!spent.stoppedByDeadline)
        #expect(spent.description.contains("S3 PUT http://127.0.0.1:\(weed.s3Port)/\(PrivateSeaweed.bucket)/runs/gone/pre.json failed: could not connect"))
        #expect(spent.description.contains("the retry budget TASTER_S3_RETRY_BUDGET=3s was spent"), "\(spent)")
        #expect(elapsed >= .seconds(2.9) && elapsed < .seconds(6), "gave up when the budget was spent: \(elapsed)")

        // A deadline shorter than the budget wins: no attempt starts after it.
        let hurried = try S3TestClient.make(weed.settings(), budget: .seconds(3), retry: S3TestClient.deterministicRetry())
        let hurriedAt = ContinuousClock.now
        let late = try await #require(throws: HTTPError.self) {
            try await hurried.get(key: "runs/gone/pre.json", maxBytes: 1024)
        }
        #expect(late.stoppedByDeadline)
        #expect(late.attempts == 3, "attempts at 0 s, 0.5 s and 1.5 s; the next would start after the 3 s deadline")
        #expect(late.description.contains("TASTER_DEADLINE"))
        #expect(hurriedAt.duration(to: .now) < .seconds(3.5))
    }
}
