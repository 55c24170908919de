import Dispatch
import FoundationEssentials
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM (a Job's deadline or deletion) and SIGINT stop a run promptly: the running work is
/// cancelled, cleanup that must still happen (restoring replicas) runs in a task of its own, and
/// the process exits 128+signal. A pass is never reported by an interrupted run.
public enum Interruption {
    private static let received = Atomic<Int32>(0)

    /// The signal that interrupted the run, if any.
    public static var signal: Int32? {
        let value = received.load(ordering: .relaxed)
        return value == 0 ? nil : value
    }

    /// Runs `body` and cancels it on SIGTERM or SIGINT. When a signal arrived, the result is
    /// `InterruptedError` whatever `body` returned or threw (it may have been cleaning up).
    public static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let task = Task { try await body() }
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            _ = Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if received.compareExchange(expected: 0, desired: number, ordering: .relaxed).exchanged {
                    let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
                    StandardStream.error.write("taster: \(name) received: stopping (cleanup may take a few seconds)\n")
                }
                task.cancel()
            }
            source.resume()
            sources.append(source)
        }
        defer { sources.forEach { $0.cancel() } }
        let result = await task.result
        if let signal { throw InterruptedError(signal: signal) }
        return try result.get()
    }

    /// Throws `InterruptedError` when a signal arrived. A run whose work finished after SIGTERM
    /// (the restore at the end is never cancelled) reports the interruption, never its result:
    /// the hook fails with 143 and nothing says PASS.
    public static func check() throws(InterruptedError) {
        if let signal { throw InterruptedError(signal: signal) }
    }

    /// Runs cleanup that must happen even though the current task was cancelled (restoring
    /// replicas after SIGTERM): a new task, not cancelled, bounded by `budget`.
    public static func uncancelled<T: Sendable>(budget: Duration, _ body: @escaping @Sendable (Deadline) async throws -> T) async throws -> T {
        try await Task { try await body(Deadline(budget: budget)) }.value
    }
}

/// The run was stopped by a signal. Exit code 128+signal: 143 for SIGTERM, 130 for SIGINT.
public struct InterruptedError: TasterError {
    public let signal: Int32
    public var exitCode: TasterExitCode { signal == SIGINT ? .interrupted : .terminated }
    public var description: String {
        "stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") before the run finished; nothing was passed (a Job deadline or deletion sends SIGTERM: check activeDeadlineSeconds against TASTER_DEADLINE)"
    }
}
