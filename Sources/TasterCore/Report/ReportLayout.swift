import TasterSupport

/// Where a run's reports live in the bucket:
///
///     <prefix>/runs/<run-id>/pre.json
///     <prefix>/runs/<run-id>/post.json
///     <prefix>/runs/<run-id>/verdict.json
///     <prefix>/runs/<run-id>/index/<phase>/<check>.tidx   a check's document index
///     <prefix>/runs/<run-id>/changes/<check>.ndjson       the documents that changed
///     <prefix>/latest-pre.json            the pointer to the newest complete baseline
///     <prefix>/recent-runs.json           the newest runs with a verdict, for the page's history
///
/// The default prefix is `taster/<namespace>/<app>`.
package struct ReportLayout: Sendable, Equatable {
    package let prefix: String

    package init(prefix: String) {
        self.prefix = prefix
    }

    /// `TASTER_PREFIX`, else `taster/<namespace>/<app>`.
    package init(configured: String?, namespace: String, app: String) {
        prefix = configured ?? "taster/\(namespace)/\(app)"
    }

    package enum File: String, Sendable, CaseIterable {
        case pre = "pre.json"
        case post = "post.json"
        case verdict = "verdict.json"
        case verdictHTML = "verdict.html"
    }

    package var runsPrefix: String { "\(prefix)/runs/" }
    package func runFolder(_ runID: String) -> String { "\(prefix)/runs/\(runID)/" }
    package func key(_ file: File, run runID: String) -> String { runFolder(runID) + file.rawValue }
    package var latestPreKey: String { "\(prefix)/latest-pre.json" }
    package var recentRunsKey: String { "\(prefix)/recent-runs.json" }

    /// Where a check's document index of a phase goes.
    package func indexKey(check: String, phase: TasteReport.Phase, run runID: String) -> String {
        runFolder(runID) + "index/\(phase.rawValue)/\(Self.objectName(check)).\(DocumentIndexFormat.fileExtension)"
    }

    /// Where the list of a check's changed documents goes.
    package func changesKey(check: String, run runID: String) -> String {
        runFolder(runID) + "changes/\(Self.objectName(check)).ndjson"
    }

    /// A check's name as one segment of a key: letters, digits, `.`, `_`, `-` as they are,
    /// anything else percent-encoded.
    static func objectName(_ name: String) -> String {
        name.utf8.map { byte in
            PercentEncoding.isUnreserved(byte) && byte != UInt8(ascii: "~") ? String(UnicodeScalar(byte)) : "%" + PercentEncoding.hex(byte)
        }.joined()
    }

    /// The run id of a key under `runs/`, e.g. `…/runs/<id>/verdict.json` → `<id>`.
    package func runID(of key: String) -> String? {
        guard key.hasPrefix(runsPrefix) else { return nil }
        let rest = key.dropFirst(runsPrefix.count)
        guard let slash = rest.firstIndex(of: "/") else { return nil }
        return String(rest[..<slash])
    }
}

/// `latest-pre.json`: points at the newest complete baseline. Written only after `pre.json` was
/// stored, so it never points at a partial run.
package struct BaselinePointer: Sendable, Equatable, Codable {
    package static let currentSchemaVersion = 1
    package var schemaVersion: Int
    package var runID: String
    package var key: String
    package var takenAt: String
    package var finishedAt: String

    enum CodingKeys: String, CodingKey { case schemaVersion, runID = "runId", key, takenAt, finishedAt }

    package init(runID: String, key: String, takenAt: String, finishedAt: String) {
        schemaVersion = Self.currentSchemaVersion
        self.runID = runID
        self.key = key
        self.takenAt = takenAt
        self.finishedAt = finishedAt
    }
}
