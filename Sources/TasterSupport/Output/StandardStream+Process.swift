#if canImport(Glibc)
import Glibc
#endif

extension StandardStream {
    /// Makes output errors harmless for the whole process; call it first in `main`, before any
    /// descriptor is opened or thread started.
    ///
    /// - SIGPIPE is ignored: a write to a pipe nobody reads any more fails with EPIPE (handled by
    ///   `write`) instead of killing a hook between scaling up and restoring. Child processes get
    ///   the default action back (`ChildProcess`). The same holds for sockets: libcurl runs with
    ///   `CURLOPT_NOSIGNAL` and leaves SIGPIPE to the application, and a TLS write to a connection
    ///   the server closed can raise it.
    ///   - SeeAlso: https://curl.se/libcurl/c/CURLOPT_NOSIGNAL.html
    /// - A standard descriptor that is closed (`taster pre-taste >&- 2>&-`) is reopened on
    ///   /dev/null. Otherwise the next descriptor taster opens — the signal pipe, a socket to
    ///   MongoDB, a report file — would take its number, and log lines or tables would be written
    ///   into it.
    package static func prepareProcess() {
        _ = signal(SIGPIPE, SIG_IGN)
        for descriptor in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] where fcntl(descriptor, F_GETFD) < 0 && errno == EBADF {
            let null = open("/dev/null", descriptor == STDIN_FILENO ? O_RDONLY : O_WRONLY)
            guard null >= 0 else { continue }
            if null != descriptor {
                dup2(null, descriptor)
                close(null)
            }
            if descriptor == STDOUT_FILENO { outputClosedAtStart.store(true, ordering: .relaxed) }
        }
    }
}
