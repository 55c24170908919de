import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Runs a short-lived program (a kubeconfig's exec credential plugin) and collects what it
/// prints, with a timeout. Blocking: call it inside `Blocking.run`.
package enum ChildProcess {
    package struct Result: Sendable {
        package var status: Int32
        package var standardOutput: Data
        package var standardError: Data
    }

    package enum Failure: Error, Sendable, Equatable {
        case cannotStart(String)
        case timedOut
    }

    /// Runs `command` (looked up on PATH when it has no `/`) with `arguments` and exactly
    /// `environment`; standard input is /dev/null. Output beyond `maxOutput` bytes is dropped.
    package static func run(
        _ command: String, arguments: [String], environment: [String: String],
        timeout: Duration, maxOutput: Int = 1 << 20
    ) throws(Failure) -> Result {
        var output: [Int32] = [0, 0]
        var errors: [Int32] = [0, 0]
        guard pipe(&output) == 0 else { throw .cannotStart(String(cString: strerror(errno))) }
        guard pipe(&errors) == 0 else {
            close(output[0]); close(output[1])
            throw .cannotStart(String(cString: strerror(errno)))
        }
        // Only the child's 1 and 2 (dup2'd below) survive exec.
        for descriptor in output + errors { _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)

        let argv = ([command] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        // The child starts with no signal blocked and SIGTERM/SIGINT/SIGPIPE at their default
        // action: the threads taster runs work on block every signal, taster ignores SIGPIPE
        // (StandardStream.prepareProcess), and a child would inherit both.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, command, &actions, &attributes, argv, envp)
        close(output[1])
        close(errors[1])
        guard spawned == 0 else {
            close(output[0]); close(errors[0])
            throw .cannotStart(String(cString: strerror(spawned)))
        }
        defer { close(output[0]); close(errors[0]) }

        var collected: [Data] = [Data(), Data()]
        var open = [true, true]
        let deadline = ContinuousClock.now.advanced(by: timeout)
        var buffer = [UInt8](repeating: 0, count: 16 * 1024)
        while open[0] || open[1] {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                throw .timedOut
            }
            var descriptors = [
                pollfd(fd: open[0] ? output[0] : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: open[1] ? errors[0] : -1, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&descriptors, 2, Int32(max(1, min(left.milliseconds, 1000))))
            if ready < 0 && errno != EINTR { break }
            for index in 0..<2 where open[index] && descriptors[index].revents != 0 {
                let count = buffer.withUnsafeMutableBytes { read(descriptors[index].fd, $0.baseAddress, $0.count) }
                if count > 0 {
                    if collected[index].count < maxOutput { collected[index].append(contentsOf: buffer[0..<count]) }
                } else if count == 0 || errno != EINTR {
                    open[index] = false
                }
            }
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, spelled out (the C macros are not imported).
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitCode, standardOutput: collected[0], standardError: collected[1])
    }
}
