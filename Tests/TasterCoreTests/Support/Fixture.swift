import Foundation

/// Test data in `Tests/Fixtures`, found from this file's path (no SwiftPM resources needed).
enum Fixture {
    static func url(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent()  // Support
            .deletingLastPathComponent()  // TasterCoreTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Fixtures")
            .appendingPathComponent(name)
    }

    /// `testenv/`, for the Python helpers the tests share with the stack and the benchmark.
    static let testenv = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("testenv")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}
