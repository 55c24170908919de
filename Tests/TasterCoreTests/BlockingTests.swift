import Foundation
import Testing
@testable import TasterCore

@Suite("Blocking calls")
struct BlockingTests {
    @Test("blocking calls (watches, log streams) all run at once and never hold up timers or other tasks")
    func blockingCallsRunAtOnce() async throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let started = ContinuousClock.now
        let calls = (0..<(8 * cores + 8)).map { _ in
            Task.detached { try await Blocking.run { usleep(1_000_000) } }
        }
        try await Task.sleep(for: .milliseconds(20))
        let sleepStarted = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(100))
        let slept = sleepStarted.duration(to: .now)
        for call in calls { _ = await call.result }
        let all = started.duration(to: .now)
        #expect(slept < .seconds(1), "a 100 ms sleep took \(slept) while \(calls.count) blocking calls ran")
        #expect(all < .seconds(4), "\(calls.count) blocking calls of 1 s took \(all): they waited for each other")
    }
}
