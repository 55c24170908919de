import FoundationEssentials
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to standard output (results) and standard error (logs, errors).
///
/// What taster prints never decides how a run ends: a reader that went away (`taster pre-taste |
/// head -2`) or a closed descriptor loses the output, not the work. A failed write to standard
/// output is reported once on standard error and the run goes on; a failed write to standard
/// error is dropped, as there is nowhere left to say so. (SIGPIPE is ignored, see
/// `prepareProcess()`, so a write to a broken pipe fails with EPIPE instead of ending the process.)
package enum StandardStream {
    case output
    case error

    /// Set once standard output failed and that was said on standard error.
    private static let outputFailureReported = Atomic<Bool>(false)
    /// Standard output was closed when taster started (`>&-`): it was reopened on /dev/null.
    static let outputClosedAtStart = Atomic<Bool>(false)

    /// Writes all of `text`, retrying short writes and EINTR. Never fails: see above.
    package func write(_ text: String) {
        let written = FileIO.writeAll(self == .output ? STDOUT_FILENO : STDERR_FILENO, Data(text.utf8))
        let reason = written ? nil : String(cString: strerror(errno))
        guard self == .output else { return }
        if let reason {
            Self.reportOutputFailure(reason)
        } else if Self.outputClosedAtStart.load(ordering: .relaxed) {
            Self.reportOutputFailure("it was closed when taster started")
        }
    }

    private static func reportOutputFailure(_ reason: String) {
        guard outputFailureReported.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        StandardStream.error.write(
            "taster: warning: could not write to standard output (\(reason)): what taster prints there is lost, "
                + "the run goes on and its exit code still tells the outcome; keep standard output open to see the results\n")
    }
}
