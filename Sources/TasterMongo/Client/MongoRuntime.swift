import Logging
import TasterCMongoC

#if canImport(Glibc)
import Glibc
#endif

/// libmongoc's process-wide set-up, done once before the first handle is made: `mongoc_init` and a
/// log handler that sends libmongoc's own messages through swift-log (so they are formatted and
/// scrubbed like every other line) instead of straight to standard error.
package enum MongoRuntime {
    /// Touch this before creating any libmongoc handle; Swift runs the initialiser exactly once.
    static let initialized: Void = {
        mongoc_log_set_handler(
            { level, domain, message, _ in
                MongoRuntime.forward(level: level, domain: domain, message: message)
            }, nil)
        mongoc_init()
        // After mongoc_init: a libmongoc that does not initialise itself when loaded creates the
        // counters there.
        prepareProcess()
    }()

    /// Removes the name of libmongoc's shared-memory counters (`/dev/shm/mongoc-<pid>`, for the
    /// `mongoc-stat` tool). Debian's libmongoc creates them when it is loaded, before `main`, and
    /// only `mongoc_cleanup` removes them — which a run ending in `_exit` (`ProcessExit`) never
    /// reaches — so every run, even `--version`, would leave a file behind. The counters stay
    /// mapped and working; only the name goes, at once, so not even a killed run leaks it. The CLI
    /// calls this first; the initialiser above again, for library users.
    package static func prepareProcess() {
        _ = shm_unlink("/mongoc-\(getpid())")
    }

    /// libmongoc's chatter ("cluster: Failed authentication ...") repeats what taster's own error
    /// says, so it is debug output; only libmongoc's errors are shown at the default level.
    private static let logger = Logger(label: "taster.libmongoc")

    private static func forward(level: mongoc_log_level_t, domain: UnsafePointer<CChar>?, message: UnsafePointer<CChar>?) {
        let text = message.map { String(cString: $0) } ?? ""
        let origin = domain.map { String(cString: $0) } ?? "mongoc"
        let swiftLevel: Logger.Level
        switch level {
        case MONGOC_LOG_LEVEL_ERROR, MONGOC_LOG_LEVEL_CRITICAL: swiftLevel = .warning
        case MONGOC_LOG_LEVEL_TRACE: swiftLevel = .trace
        default: swiftLevel = .debug
        }
        logger.log(level: swiftLevel, "libmongoc: \(text)", metadata: ["domain": .string(origin)])
    }
}
