import Foundation

/// Test data in `Tests/Fixtures`, found from this file's path (no SwiftPM resources needed).
enum Fixture {
    /// The repository, found from this file's path so tests run from any directory.
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // TasterCoreTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent()

    static func url(_ name: String) -> URL {
        repository.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// `testenv/`, for the Python helpers the tests share with the stack and the benchmark.
    static let testenv = repository.appendingPathComponent("testenv")

    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: url(name))
    }
}
