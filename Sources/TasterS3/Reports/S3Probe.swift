import FoundationEssentials
import TasterCore
import TasterSupport

/// `taster check` for the report store: the bucket answers a signed listing under the prefix,
/// and a probe object can be written (create-only), read back and deleted.
package struct S3Probe: DependencyProbe {
    let client: S3Client
    let layout: ReportLayout

    package init(client: S3Client, layout: ReportLayout) {
        self.client = client
        self.layout = layout
    }

    package func run() async -> [CheckFinding] {
        let store = S3ReportStore(client: client)
        var findings: [CheckFinding] = []
        let listed = "s3://\(client.bucket)/\(layout.prefix)/"
        do {
            let found = try await client.list(prefix: layout.prefix + "/", pageSize: 10)
            findings.append(
                .init(
                    "S3", "list \(listed)", .ok,
                    "\(client.endpoint): bucket reachable, credentials and signature accepted (\(found.count) object\(found.count == 1 ? "" : "s") seen)"))
        } catch {
            findings.append(.init("S3", "list \(listed)", .fail, "\(error)"))
            return findings
        }
        let key = "\(layout.prefix)/.taster-check/\(RunIdentity.timestampID())-\(UUID().uuidString.prefix(8).lowercased()).json"
        let body = Data(#"{"probe":"taster check"}"#.utf8)
        do {
            try await store.put(key, data: body, contentType: "application/json", createOnly: true)
            findings.append(.init("S3", "put (create-only)", .ok, store.uri(for: key)))
        } catch {
            findings.append(.init("S3", "put (create-only)", .fail, "\(error)"))
            return findings
        }
        do {
            let read = try await store.get(key, maxBytes: 4096)
            findings.append(
                read == body
                    ? .init("S3", "get", .ok, "read back what was written")
                    : .init("S3", "get", .fail, "read back something else than was written at \(store.uri(for: key))"))
        } catch {
            findings.append(.init("S3", "get", .fail, "\(error)"))
        }
        do {
            try await client.delete(key: key)
            findings.append(.init("S3", "delete", .ok, "probe object removed"))
        } catch {
            findings.append(
                .init(
                    "S3", "delete", .warn,
                    "could not delete the probe object (taster itself never deletes reports; remove \(store.uri(for: key)) by hand): \(error)"))
        }
        return findings
    }
}
