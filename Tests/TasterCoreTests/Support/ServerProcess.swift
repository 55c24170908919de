import Foundation

/// A server a test starts for itself (a database that comes up late, an S3 store that goes away):
/// started from the stack's venv, bound to 127.0.0.1, stopped by PID and waited for, so a restart
/// on the same data never races the old process.
final class ServerProcess: @unchecked Sendable {
    let process: Process
    let logFile: URL
    let name: String

    private init(name: String, process: Process, logFile: URL) {
        self.name = name
        self.process = process
        self.logFile = logFile
    }

    /// Starts `executable` (a name in the venv's bin folder, or a path) with `arguments`.
    static func start(
        _ name: String, executable: String, arguments: [String], logFile: URL,
        environment: [String: String]? = nil
    ) throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable.hasPrefix("/") ? executable : try TestStack.bin(executable))
        process.arguments = arguments
        if let environment { process.environment = environment }
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return ServerProcess(name: name, process: process, logFile: logFile)
    }

    var isRunning: Bool { process.isRunning }

    /// The last part of the server's log, for failure messages.
    var logTail: String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// Waits until 127.0.0.1:`port` accepts TCP connections.
    func waitForPort(_ port: Int, timeout: Duration = .seconds(30)) async throws {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        while clock.now < end {
            guard process.isRunning else {
                throw TestFailure("\(name) exited with \(process.terminationStatus) while starting:\n\(logTail)")
            }
            if TCPProbe.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestFailure("\(name) did not listen on 127.0.0.1:\(port) within \(timeout):\n\(logTail)")
    }

    /// SIGTERM, wait for exit (SIGKILL after `grace`).
    func stop(grace: Duration = .seconds(10)) {
        guard process.isRunning else { return }
        process.terminate()
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: grace)
        while process.isRunning && clock.now < end { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// Like `stop` but SIGKILL at once (a crash).
    func kill9() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// A free TCP port on 127.0.0.1, as the kernel sees it now.
enum TCPProbe {
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when 127.0.0.1:`port` can be bound now (nothing listens there).
    static func isFree(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var reuse: Int32 = 1
        setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A failure in test set-up, with a message that says what to look at.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A temporary folder removed when the test's value goes away.
final class TemporaryDirectory: @unchecked Sendable {
    let url: URL
    init(_ prefix: String = "taster-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func path(_ name: String) -> URL { url.appendingPathComponent(name) }
    deinit { try? FileManager.default.removeItem(at: url) }
}
