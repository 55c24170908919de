import Foundation

/// A SecantusDB of a test's own (no auth), for what the shared stack cannot do: TLS, fail points
/// (`--enable-test-commands`), a database that starts late. Killed by PID when released: its
/// data is throw-away, and SecantusDB with TLS takes seconds to stop on SIGTERM.
final class PrivateMongo: @unchecked Sendable {
    let port: Int
    let server: ServerProcess
    let folder: TemporaryDirectory

    private init(port: Int, server: ServerProcess, folder: TemporaryDirectory) {
        self.port = port
        self.server = server
        self.folder = folder
    }

    /// Starts SecantusDB on `port` (default a free one) and waits until it listens.
    static func start(
        port: Int? = nil, testCommands: Bool = false, tls: (cert: String, key: String)? = nil,
        folder: TemporaryDirectory? = nil
    ) async throws -> PrivateMongo {
        let folder = try folder ?? TemporaryDirectory("taster-mongo")
        let port = port ?? TCPProbe.freePort()
        var arguments = [
            "--host", "127.0.0.1", "--port", String(port), "--storage-path", folder.path("data").path,
            "--log-level", "WARNING",
        ]
        if testCommands { arguments.append("--enable-test-commands") }
        if let tls { arguments += ["--tls-cert-file", tls.cert, "--tls-key-file", tls.key] }
        let server = try ServerProcess.start(
            "SecantusDB", executable: "secantusd-py", arguments: arguments,
            logFile: folder.path("mongo.log"))
        try await server.waitForPort(port)
        return PrivateMongo(port: port, server: server, folder: folder)
    }

    var uri: String { "mongodb://127.0.0.1:\(port)/" }

    deinit { server.kill9() }
}
