import FoundationEssentials
import Synchronization
import TasterSignalShims

#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM (a Job's deadline or deletion) and SIGINT stop a run promptly: the running work is
/// cancelled, cleanup that must still happen (restoring replicas) runs in a task of its own, and
/// the process exits 128+signal. A pass is never reported by an interrupted run.
///
/// A handler (C, `TasterSignalShims`) writes each signal to a pipe that one thread of ours
/// reads, so no signal is lost, whichever thread the kernel gives it to and however early it
/// comes. (A `DispatchSource` needs the disposition set to `SIG_IGN`: setting it discards a
/// signal already pending, and on Linux libdispatch's main thread waits in `sigsuspend` with
/// nothing blocked, where an ignored signal is simply dropped. A SIGTERM in the first
/// milliseconds of a run was lost that way and the run went on to pass.)
package enum Interruption {
    private struct State {
        var signal: Int32?
        /// A run is in progress: a signal cancels it rather than ending the process.
        var running = false
        /// Cancels the run in progress; nil until its task exists.
        var cancel: (@Sendable () -> Void)?
    }

    private static let state = Mutex(State())

    /// The signal that interrupted the run, if any.
    package static var signal: Int32? { state.withLock { $0.signal } }

    /// Installs the handler for SIGTERM and SIGINT and starts the thread that takes them. Call
    /// it first in `main`. A signal that arrives while no run is in progress ends the process at
    /// once with 128+signal, as the default action would.
    package static func install() {
        let pipe = taster_signal_pipe_install()
        guard pipe >= 0 else { return } // no pipe: the signals keep their default action
        let started = DetachedThread.start {
            var number: UInt8 = 0
            while true {
                let count = read(pipe, &number, 1)
                if count == 1 {
                    deliver(Int32(number))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
        if !started {
            // Nobody would read the pipe: back to the default action (end the process).
            _ = Glibc.signal(SIGTERM, SIG_DFL)
            _ = Glibc.signal(SIGINT, SIG_DFL)
        }
    }

    private static func deliver(_ number: Int32) {
        let (first, running, cancel) = state.withLock { state -> (Bool, Bool, (@Sendable () -> Void)?) in
            let first = state.signal == nil
            if first { state.signal = number }
            return (first, state.running, state.cancel)
        }
        guard running else {
            // No run to cancel (argument parsing, a command without cleanup): the default action.
            ProcessExit.now(128 + number)
        }
        if first {
            let name = number == SIGTERM ? "SIGTERM" : "SIGINT"
            StandardStream.error.write("taster: \(name) received: stopping (cleanup may take a few seconds)\n")
        }
        // Without `cancel` yet, `run` finds the signal recorded and cancels the task itself.
        cancel?()
    }

    /// Runs `body` and cancels it on SIGTERM or SIGINT. When a signal arrived, the result is
    /// `InterruptedError` whatever `body` returned or threw (it may have been cleaning up).
    package static func run<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        state.withLock { $0.running = true }
        let task = Task { try await body() }
        let signalled = state.withLock { state -> Bool in
            state.cancel = { task.cancel() }
            return state.signal != nil
        }
        if signalled { task.cancel() }
        let result = await task.result
        state.withLock { state in
            state.running = false
            state.cancel = nil
        }
        if let signal { throw InterruptedError(signal: signal) }
        return try result.get()
    }

    /// Throws `InterruptedError` when a signal arrived. A run whose work finished after SIGTERM
    /// (the restore at the end is never cancelled) reports the interruption, never its result:
    /// the hook fails with 143 and nothing says PASS.
    package static func check() throws(InterruptedError) {
        if let signal { throw InterruptedError(signal: signal) }
    }

    /// Runs cleanup that must happen even though the current task was cancelled (restoring
    /// replicas after SIGTERM): a new task, not cancelled, bounded by `budget`.
    package static func uncancelled<T: Sendable>(budget: Duration, _ body: @escaping @Sendable (Deadline) async throws -> T) async throws -> T {
        try await Task { try await body(Deadline(budget: budget)) }.value
    }
}

/// The run was stopped by a signal. Exit code 128+signal: 143 for SIGTERM, 130 for SIGINT.
package struct InterruptedError: TasterError {
    package let signal: Int32
    package var exitCode: TasterExitCode { signal == SIGINT ? .interrupted : .terminated }
    package var description: String {
        "stopped by \(signal == SIGINT ? "SIGINT" : "SIGTERM") before the run finished; nothing was passed (a Job deadline or deletion sends SIGTERM: check activeDeadlineSeconds against TASTER_DEADLINE)"
    }
}
