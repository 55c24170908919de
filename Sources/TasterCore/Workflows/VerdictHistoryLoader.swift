import FoundationEssentials
import Logging

/// Reads the earlier verdicts of the same app for the verdict page's history charts: lists
/// `<prefix>/runs/`, reads at most `limit` of the newest `verdict.json`s (bounded in count and
/// size), and names the ones it could not read instead of failing. Each entry keeps its run's
/// `verdict.json` key and, when the listing holds one, its `verdict.html` key, for links.
struct VerdictHistoryLoader: Sendable {
    let store: any ReportStore
    let layout: ReportLayout
    let logger: Logger

    static let maxVerdictBytes = 4 * 1024 * 1024

    func load(excluding runID: String, limit: Int = VerdictHistory.defaultLimit) async -> VerdictHistory {
        let listed: [StoredObject]
        do {
            listed = try await store.list(prefix: layout.runsPrefix)
        } catch {
            logger.warning("the verdict page has no history: listing \(store.uri(for: layout.runsPrefix)) failed: \(error)")
            return VerdictHistory(entries: [], skipped: ["history unavailable: \(error)"])
        }
        let candidates =
            listed
            .filter { $0.key.hasSuffix("/" + ReportLayout.File.verdict.rawValue) && layout.runID(of: $0.key) != runID }
            .sorted { ($0.lastModified ?? "", $0.key) > ($1.lastModified ?? "", $1.key) }
            .prefix(limit)
        let listedKeys = Set(listed.map(\.key))
        var entries: [VerdictHistory.Entry] = []
        var skipped: [String] = []
        for object in candidates {
            let run = layout.runID(of: object.key) ?? object.key
            do {
                guard let data = try await store.get(object.key, maxBytes: Self.maxVerdictBytes) else { continue }
                let verdict = try ReportCodec.decode(Verdict.self, from: data, supported: Verdict.readableSchemaVersions, source: object.key)
                let pageKey = layout.key(.verdictHTML, run: run)
                entries.append(
                    VerdictHistory.Entry(
                        verdict: verdict, verdictKey: object.key,
                        pageKey: listedKeys.contains(pageKey) ? pageKey : nil))
            } catch {
                skipped.append("\(run) (\(Self.short(error)))")
            }
        }
        entries.sort { ($0.createdAt, $0.runID) < ($1.createdAt, $1.runID) }
        return VerdictHistory(entries: entries, skipped: skipped)
    }

    static func short(_ error: any Error) -> String {
        switch error {
        case let decoding as ReportDecodingError:
            switch decoding.problem {
            case .notJSON: "not JSON"
            case .missingSchemaVersion: "no schemaVersion"
            case .unknownSchemaVersion(let version, _): "schemaVersion \(version)"
            case .invalid: "not a verdict"
            }
        case is any StoredObjectTooLarge: "too large"
        default: "unreadable"
        }
    }
}
