import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// How the command-line process ends: at once, without running C `atexit` handlers.
///
/// Everything taster prints goes through `write(2)` (nothing is buffered), and every report is
/// stored before this is called. Skipping the handlers matters for two reasons: OpenSSL's exit
/// cleanup must not race libmongoc's monitor threads (a TLS run could crash at exit), and a
/// hook should not wait half a second for libmongoc to join those threads when the kernel frees
/// everything anyway.
package enum ProcessExit {
    private static let kept = Mutex<[any AnyObject & Sendable]>([])

    /// Keeps `object` (and the C handles it owns) alive until the process ends, so its `deinit`
    /// does not run — for handles whose teardown only costs time at exit (a libmongoc pool).
    package static func keepUntilExit(_ object: any AnyObject & Sendable) {
        kept.withLock { $0.append(object) }
    }

    package static func now(_ code: Int32) -> Never {
        _exit(code)
    }
}
