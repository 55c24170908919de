import Foundation
import Logging

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// Builds settings the way a run does (from environment variables) and takes snapshots with them.
struct SnapshotFixture {
    var environment: [String: String]
    let folder: TemporaryDirectory
    let sink = LogSink(buffer: true)

    /// Settings for the stack's database as the read-only `taster` user (`MONGODB_URI`), or `uri`.
    init(uri: String? = nil, collections: [String], checks: String? = nil, extra: [String: String] = [:]) throws {
        folder = try TemporaryDirectory("taster-checks")
        environment = [
            "MONGODB_URI": try uri ?? TestStack.mongoURI,
            "TASTER_DATABASE": try TestStack.database,
            "TASTER_COLLECTIONS": collections.joined(separator: ","),
        ]
        if let checks {
            let file = folder.path("checks.yaml")
            try checks.write(to: file, atomically: true, encoding: .utf8)
            environment["TASTER_CHECKS"] = file.path
        }
        environment.merge(extra) { $1 }
        if uri == nil, extra["MONGO_NODE"] != nil { environment["MONGODB_URI"] = nil }
    }

    var settings: MongoSettings {
        get throws { try Settings.load(from: Environment(environment)).requireMongo() }
    }

    var logger: Logger {
        Logger(label: "test") { [sink] label in TasterLogHandler(label: label, format: .text, level: .debug, sink: sink) }
    }

    func snapshot(asOf cut: Date? = nil, deadline: Duration = .seconds(60)) async throws -> Snapshot {
        try await MongoSnapshotSource(settings: try settings, logger: logger).snapshot(asOf: cut, deadline: Deadline(budget: deadline))
    }
}

extension Snapshot {
    /// The result of the check named `name`; a test failure when there is none.
    func check(_ name: String) throws -> CheckResult {
        guard let result = checks.first(where: { $0.name == name }) else {
            throw TestFailure("no check named \(name) in \(checks.map(\.name))")
        }
        return result
    }
}
