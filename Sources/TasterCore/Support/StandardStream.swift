import FoundationEssentials
#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to standard output (results) and standard error (logs, errors).
public enum StandardStream {
    case output
    case error

    /// Writes all of `text`, retrying short writes and EINTR.
    public func write(_ text: String) {
        FileIO.writeAll(self == .output ? STDOUT_FILENO : STDERR_FILENO, Data(text.utf8))
    }
}
