import Foundation

/// The `taster` executable built next to the tests (`swift build --build-tests` builds both), run
/// as a user would: only the environment given, output and exit code observed.
enum TasterBinary {
    static var path: String {
        get throws {
            let besideTests = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("taster")
            for candidate in [besideTests.path, FileManager.default.currentDirectoryPath + "/.build/debug/taster"]
            where FileManager.default.isExecutableFile(atPath: candidate) {
                return candidate
            }
            throw TestFailure("the taster executable was not found beside the tests; run `swift build --build-tests`")
        }
    }

    /// Runs `taster arguments` with exactly `environment` (plus PATH and HOME).
    static func run(_ arguments: [String], environment: [String: String]) async throws -> TestCommand.Result {
        var env = environment
        let inherited = ProcessInfo.processInfo.environment
        env["PATH"] = inherited["PATH"] ?? "/usr/bin:/bin"
        env["HOME"] = inherited["HOME"] ?? "/tmp"
        return try await TestCommand.run(try path, arguments, environment: env)
    }
}
