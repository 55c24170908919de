import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking C calls (libmongoc, libcurl) off Swift's cooperative thread pool, which has only
/// as many threads as cores: two blocking checks would otherwise stall every other task on a
/// 2-core pod.
///
/// Each call gets a thread of its own. Dispatch's global queues are not enough: on Linux they
/// start with one thread per core and add threads for blocked work only slowly (measured here:
/// eight 2-second blocking calls took 5 s on 2 cores, 2 s with a thread each), so concurrent
/// checks, waits and cancellations were delayed behind each other. A thread costs microseconds
/// next to a network round trip, and callers bound how many blocking calls run at once.
package enum Blocking {
    /// Runs `body` on a thread that may block, and resumes the caller with its result.
    ///
    /// Cancellation cannot interrupt a C call in flight: bound every call with its own timeout
    /// (derived from the `Deadline`) and check `Task.isCancelled` between calls — or use
    /// `run(until:step:_:)` for a call the caller may walk away from.
    package static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            spawn { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Like `run`, but the caller stops waiting as soon as its task is cancelled (SIGTERM) or
    /// `deadline` passes, whether or not the C call returns: it throws `CancellationError` or
    /// `DeadlineExceededError` naming `step` at once, and the call is left to end (or time out)
    /// on its thread, its result dropped. A server that holds a query, or a network that drops
    /// its packets, then cannot keep a run past SIGTERM or its deadline.
    ///
    /// What the abandoned call uses must outlive it: see `MongoClientPool.close()`.
    package static func run<T: Sendable>(
        until deadline: Deadline, step: String,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await race(deadline: deadline, step: step, body)
    }

    /// Like `run(until:step:_:)` without the deadline: for a call bounded by its own timeout,
    /// whose end the caller turns into a better error than `DeadlineExceededError`, but which a
    /// SIGTERM must not wait for.
    package static func runCancellable<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await race(deadline: nil, step: "", body)
    }

    private static func race<T: Sendable>(
        deadline: Deadline?, step: String,
        _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        let race = Race<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                race.wait(continuation)
                if let deadline { race.arm(at: deadline, step: step) }
                spawn { race.finish(Result { try body() }) }
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    }

    /// The first of the call, the timer and the cancellation to finish resumes the caller.
    private final class Race<T: Sendable>: Sendable {
        private enum State {
            case idle
            case waiting(CheckedContinuation<T, any Error>)
            case early(Result<T, any Error>)
            case done
        }

        private let state = Mutex<State>(.idle)
        private let timer = Mutex<Timer?>(nil)

        /// DispatchSource timers are thread-safe; Swift does not know it.
        private final class Timer: @unchecked Sendable {
            let source: any DispatchSourceTimer
            init(_ source: any DispatchSourceTimer) { self.source = source }
        }

        /// Fails the wait with `DeadlineExceededError` when `deadline` passes. A Dispatch timer,
        /// not a sleeping task: it fires even when every cooperative thread is busy.
        func arm(at deadline: Deadline, step: String) {
            let source = DispatchSource.makeTimerSource(queue: .global())
            source.setEventHandler {
                self.finish(.failure(DeadlineExceededError(step: step, budget: deadline.budget)))
            }
            source.schedule(deadline: .now() + .milliseconds(Int(clamping: deadline.remaining.milliseconds)))
            let armed = Timer(source)
            timer.withLock { $0 = armed }
            armed.source.resume()
        }

        func wait(_ continuation: CheckedContinuation<T, any Error>) {
            let early: Result<T, any Error>? = state.withLock { state in
                if case .early(let result) = state {
                    state = .done
                    return result
                }
                state = .waiting(continuation)
                return nil
            }
            if let early { continuation.resume(with: early) }
        }

        func finish(_ result: Result<T, any Error>) {
            let continuation: CheckedContinuation<T, any Error>? = state.withLock { state in
                switch state {
                case .idle:
                    state = .early(result)
                    return nil
                case .waiting(let continuation):
                    state = .done
                    return continuation
                case .early, .done:
                    return nil
                }
            }
            continuation?.resume(with: result)
            timer.withLock { timer in
                timer?.source.cancel()
                timer = nil
            }
        }
    }

    /// Starts `body` on a thread of its own; without one, runs it here rather than never.
    private static func spawn(_ body: @escaping @Sendable () -> Void) {
        if !DetachedThread.start(body) { body() }
    }
}
