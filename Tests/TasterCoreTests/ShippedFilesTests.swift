import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo
@testable import TasterPostgres
@testable import TasterSettings
@testable import TasterSupport

/// What we ship must be what taster accepts: the checks files in the ConfigMaps and the settings
/// pass the same validation a hook runs before touching anything.
@Suite("Shipped files")
struct ShippedFilesTests {
    static let repository = Fixture.repository

    /// Each app's folder under `kustomize/overlays` (its settings and checks are in `app/`).
    static let apps: [String] = {
        let overlays = repository.appendingPathComponent("kustomize/overlays")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: overlays.path)) ?? []
        return names.sorted().map { "kustomize/overlays/\($0)/app" }
            .filter { FileManager.default.fileExists(atPath: repository.appendingPathComponent($0).path) }
    }()

    @Test("the base's example checks file is valid")
    func exampleChecksFile() throws {
        let path = Self.repository.appendingPathComponent("kustomize/base/checks.yaml").path
        _ = try ChecksFile.load(path: path, defaultDatabase: "example", dialect: MongoCheckDialect())
    }

    @Test("every app's checks file is valid and checks something", arguments: apps)
    func checksFile(app: String) throws {
        let path = Self.repository.appendingPathComponent(app + "/checks.yaml").path
        let checks = try ChecksFile.load(path: path, defaultDatabase: "example", dialect: Self.dialect(of: app))
        #expect(!checks.isEmpty, "\(app)/checks.yaml has no checks")
    }

    /// An app whose credentials set DATABASE_URL is on PostgreSQL: its checks file is SQL's.
    static func dialect(of app: String) -> any CheckDialect {
        let example = repository.appendingPathComponent(app + "/../credentials/.env.example").path
        let text = (try? String(contentsOfFile: example, encoding: .utf8)) ?? ""
        return text.contains("\nDATABASE_URL=") ? PostgresCheckDialect() : MongoCheckDialect()
    }

    @Test("there are apps to check") func appsExist() {
        #expect(!Self.apps.isEmpty, "no kustomize/overlays/*/app")
    }

    @Test("every settings.env in kustomize/ passes settings validation", arguments: ["kustomize/base/settings.env"] + apps.map { $0 + "/settings.env" })
    func settings(file: String) throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent(file), encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
            let parts = line.split(separator: "=", maxSplits: 1)
            values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        values["TASTER_CHECKS"] = nil // a path inside the pod
        _ = try Settings.load(from: Environment(values))
    }
}
