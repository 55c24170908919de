import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

@Suite("Blocking calls")
struct BlockingTests {
    @Test("blocking calls (watches, log streams) all run at once and never hold up timers or other tasks")
    func blockingCallsRunAtOnce() async throws {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let started = ContinuousClock.now
        let calls = (0..<(8 * cores + 8)).map { _ in
            Task.detached { try await Blocking.run { usleep(2_000_000) } }
        }
        try await Task.sleep(for: .milliseconds(20))
        let sleepStarted = ContinuousClock.now
        try await Task.sleep(for: .milliseconds(100))
        let slept = sleepStarted.duration(to: .now)
        for call in calls { _ = await call.result }
        let all = started.duration(to: .now)
        // Held up by the calls, it would take their 2 s; a busy machine took 1.04 s for it.
        #expect(slept < .seconds(1.8), "a 100 ms sleep took \(slept) while \(calls.count) blocking calls ran")
        // One after another on the cooperative pool's threads they would take 2 s × calls / cores
        // (24 s on 2 cores); the bound leaves room for a machine busy with other builds.
        #expect(all < .seconds(12), "\(calls.count) blocking calls of 2 s took \(all): they waited for each other")
    }

    @Test("a call that returns in time gives its result")
    func untilReturns() async throws {
        let value = try await Blocking.run(until: Deadline(budget: .seconds(30)), step: "a quick call") { 42 }
        #expect(value == 42)
    }

    // The held calls last 30 s and the bounds are 20 s: a busy machine building beside every suite
    // at once once took 7 s to end a wait, and the call itself still stays far apart.
    @Test("the deadline ends the wait for a call that does not return; the call is left on its thread")
    func untilDeadline() async throws {
        let started = ContinuousClock.now
        let error = try await #require(throws: DeadlineExceededError.self) {
            try await Blocking.run(until: Deadline(budget: .milliseconds(300)), step: "a held query") { usleep(30_000_000) }
        }
        #expect(started.duration(to: .now) < .seconds(20), "waited for the call")
        #expect(error.description.contains("was reached during a held query"))
    }

    @Test("cancelling (SIGTERM) ends the wait for a call that does not return, at once")
    func untilCancelled() async throws {
        let started = ContinuousClock.now
        let call = Task { try await Blocking.run(until: Deadline(budget: .seconds(60)), step: "a held query") { usleep(30_000_000) } }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(started.duration(to: .now) < .seconds(20), "waited for the call")
        // Already cancelled before it starts: no wait at all.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await Blocking.run(until: Deadline(budget: .seconds(60)), step: "x") { usleep(30_000_000) }
        }
        await #expect(throws: CancellationError.self) { try await early.value }
    }

    @Test("runCancellable: no deadline of its own, the call's result when it returns, CancellationError at once when cancelled")
    func cancellable() async throws {
        let value = try await Blocking.runCancellable {
            usleep(200_000); return 7
        }
        #expect(value == 7)
        let started = ContinuousClock.now
        let call = Task { try await Blocking.runCancellable { usleep(30_000_000) } }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(started.duration(to: .now) < .seconds(20), "waited for the call")
    }
}
