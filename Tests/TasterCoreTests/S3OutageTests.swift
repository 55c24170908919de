import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

/// The retry policy against a SeaweedFS of the test's own that goes away: stopped during a put
/// and started again within the retry budget, then stopped for good.
@Suite("S3 client when SeaweedFS goes away")
struct S3OutageTests {
    @Test("stopped during a put and restarted within the retry budget: the put succeeds; stopped for good: exit 3 within the deadline")
    func outage() async throws {
        let weed = try await PrivateSeaweed.start()
        defer { weed.stop() }
        let settings = weed.settings()
        let sink = LogSink(buffer: true)
        // Full backoff ceilings, no jitter: attempts at about 0 s, 0.5 s, 1.5 s, 3.5 s and 7.5 s.
        let client = try S3TestClient.make(settings, sink: sink, budget: .seconds(60), retry: S3TestClient.deterministicRetry)
        let report = Data(#"{"schema":"taster.report/v1","restart":true}"#.utf8)

        weed.stop()
        let started = ContinuousClock.now
        async let stored = client.put(key: "runs/restart/pre.json", data: report, createOnly: true)
        try await Task.sleep(for: .milliseconds(300))
        try weed.launch()
        _ = try await stored
        let took = started.duration(to: .now)
        #expect(try await client.get(key: "runs/restart/pre.json", maxBytes: 4096) == report)
        #expect(
            sink.written.contains { $0.contains("could not connect") && $0.contains("trying again (attempt 2 of 5)") },
            "each retry is logged with its reason")
        // The retries found the restarted server within their budget (attempts at about 0, 0.5,
        // 1.5, 3.5 and 7.5 s). How long SeaweedFS then takes to store its first object is its own
        // business: on a busy machine it took 19 s, so the wall-clock bound is a gross one.
        #expect(sink.written.contains { $0.contains("S3 HeadObject") && $0.contains("-> 404") }, "the HEAD got through")
        #expect(sink.written.contains { $0.contains("S3 PutObject") && $0.contains("-> 200 attempts=1") }, "the put went through at once")
        #expect(took < .seconds(40))

        // Gone for good: exit 3 once the deadline leaves no time for another attempt.
        weed.stop()
        let short = try S3TestClient.make(settings, budget: .seconds(3), retry: S3TestClient.deterministicRetry)
        let failedAt = ContinuousClock.now
        let error = try await #require(throws: HTTPError.self) {
            try await short.put(key: "runs/gone/pre.json", data: report, createOnly: false)
        }
        let elapsed = failedAt.duration(to: .now)
        #expect(error.exitCode == .dependency)
        #expect(error.kind == .connectionFailed)
        #expect(error.attempts == 3, "attempts at 0 s, 0.5 s and 1.5 s; the next would start after the 3 s deadline")
        #expect(error.stoppedByDeadline)
        #expect(error.description.contains("S3 PUT http://127.0.0.1:\(weed.s3Port)/\(PrivateSeaweed.bucket)/runs/gone/pre.json failed: could not connect"))
        #expect(error.description.contains("TASTER_DEADLINE"))
        #expect(elapsed >= .seconds(2.9) && elapsed < .seconds(6), "gave up at the deadline, not before and not long after: \(elapsed)")

        // With time to spare, the five attempts run out first.
        let patient = try S3TestClient.make(
            settings, budget: .seconds(60),
            retry: {
                var policy = S3TestClient.deterministicRetry
                policy.backoff = Backoff(base: .milliseconds(20), cap: .milliseconds(50))
                return policy
            }())
        let exhausted = try await #require(throws: HTTPError.self) {
            try await patient.get(key: "runs/gone/pre.json", maxBytes: 1024)
        }
        #expect(exhausted.attempts == 5)
        #expect(!exhausted.stoppedByDeadline)
        #expect(exhausted.description.contains("after 5 attempts"))
    }
}
