import Foundation
import Testing
@testable import TasterCore

/// What we ship must be what taster accepts: the checks file in the base ConfigMap and the
/// overlay's settings pass the same validation a hook runs before touching anything.
@Suite("Shipped files")
struct ShippedFilesTests {
    static let repository = Fixture.repository

    @Test("kustomize/base/checks.yaml is a valid checks file")
    func checksFile() throws {
        let path = Self.repository.appendingPathComponent("kustomize/base/checks.yaml").path
        let checks = try ChecksFile.load(path: path, defaultDatabase: "pxbbq")
        #expect(!checks.isEmpty)
    }

    @Test("every settings.env in kustomize/ passes settings validation", arguments: ["kustomize/base/settings.env", "kustomize/overlays/pxbbq-stage/settings.env"])
    func settings(file: String) throws {
        let text = try String(contentsOf: Self.repository.appendingPathComponent(file), encoding: .utf8)
        var values: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && line.contains("=") {
            let parts = line.split(separator: "=", maxSplits: 1)
            values[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        values["TASTER_CHECKS"] = nil  // a path inside the pod
        _ = try Settings.load(from: Environment(values))
    }
}
