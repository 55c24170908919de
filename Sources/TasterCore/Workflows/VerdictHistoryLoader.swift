import FoundationEssentials
import Logging

/// Reads the earlier verdicts of the same app for the verdict page's history charts, and keeps
/// `<prefix>/recent-runs.json` (`RecentRuns`), which names them: one small read and at most
/// `RecentRuns.limit` verdicts, however many runs the app has had. Only when that file does not
/// exist yet (or cannot be read) does it list `<prefix>/runs/` once, to build it. Verdicts it
/// cannot read are named instead of failing. Each entry keeps its run's `verdict.json` key and,
/// when its page was stored, its `verdict.html` key, for links.
struct VerdictHistoryLoader: Sendable {
    let store: any ReportStore
    let layout: ReportLayout
    let logger: Logger

    static let maxVerdictBytes = 4 * 1024 * 1024
    /// `recent-runs.json` holds twenty short entries; anything much larger is not it.
    static let maxIndexBytes = 256 * 1024

    /// The history for the page of `runID`, and the list of recent runs to add `runID` to once its
    /// page is stored (`record`); nil when neither that list nor the listing could be read.
    func load(excluding runID: String) async -> (history: VerdictHistory, recent: RecentRuns?) {
        let key = layout.recentRunsKey
        let data: Data?
        do {
            data = try await store.get(key, maxBytes: Self.maxIndexBytes)
        } catch {
            logger.warning("the verdict page has no history: reading \(store.uri(for: key)) failed: \(error)")
            return (VerdictHistory(entries: [], skipped: ["history unavailable: \(error)"]), nil)
        }
        guard let data else {
            logger.info("\(store.uri(for: key)) does not exist yet: listing \(store.uri(for: layout.runsPrefix)) once to build it")
            return await fromListing(excluding: runID)
        }
        let recent: RecentRuns
        do {
            recent = try ReportCodec.decode(RecentRuns.self, from: data, supported: RecentRuns.currentSchemaVersion, source: store.uri(for: key))
        } catch {
            logger.warning("\(store.uri(for: key)) cannot be read (\(error)): listing \(store.uri(for: layout.runsPrefix)) to build it again")
            return await fromListing(excluding: runID)
        }
        var history = await read(recent.runs.filter { $0.runID != runID }.map { ($0.runID, $0.page) })
        history.older = max(0, recent.total - recent.runs.count)
        return (history, recent)
    }

    /// Adds the run of `verdict` to `recent` and stores it; a failure is logged (the verdict and
    /// its page are stored either way; later pages' history misses this run).
    func record(_ verdict: Verdict, pageStored: Bool, in recent: RecentRuns) async {
        let updated = recent.adding(.init(runID: verdict.runID, createdAt: verdict.createdAt, result: verdict.result, page: pageStored))
        let key = layout.recentRunsKey
        do {
            try await store.put(key, data: try ReportCodec.encode(updated), contentType: "application/json", createOnly: false)
        } catch {
            logger.warning(
                "\(store.uri(for: key)) was not updated (\(error)): later verdict pages' history will not show run \(verdict.runID); its verdict.json is stored"
            )
        }
    }

    /// The verdicts of `runs` (newest first, as `RecentRuns` keeps them), oldest first.
    private func read(_ runs: [(runID: String, page: Bool)]) async -> VerdictHistory {
        var entries: [VerdictHistory.Entry] = []
        var skipped: [String] = []
        for (run, page) in runs.prefix(VerdictHistory.defaultLimit) {
            // The list is only a hint of which runs to read: keys come from the layout.
            guard NameRules.isSafeIdentifier(run) else {
                skipped.append("\(run.prefix(40)) (not a run id)")
                continue
            }
            let key = layout.key(.verdict, run: run)
            do {
                guard let data = try await store.get(key, maxBytes: Self.maxVerdictBytes) else {
                    skipped.append("\(run) (no verdict.json)")
                    continue
                }
                let verdict = try ReportCodec.decode(Verdict.self, from: data, supported: Verdict.readableSchemaVersions, source: key)
                entries.append(VerdictHistory.Entry(verdict: verdict, verdictKey: key, pageKey: page ? layout.key(.verdictHTML, run: run) : nil))
            } catch {
                skipped.append("\(run) (\(Self.short(error)))")
            }
        }
        entries.sort { ($0.createdAt, $0.runID) < ($1.createdAt, $1.runID) }
        return VerdictHistory(entries: entries, skipped: skipped)
    }

    /// The history from a listing of `runs/` (no `recent-runs.json` yet), and the list it makes.
    private func fromListing(excluding runID: String) async -> (history: VerdictHistory, recent: RecentRuns?) {
        let listed: [StoredObject]
        do {
            listed = try await store.list(prefix: layout.runsPrefix)
        } catch {
            logger.warning("the verdict page has no history: listing \(store.uri(for: layout.runsPrefix)) failed: \(error)")
            return (VerdictHistory(entries: [], skipped: ["history unavailable: \(error)"]), nil)
        }
        let verdicts =
            listed
            .filter { $0.key.hasSuffix("/" + ReportLayout.File.verdict.rawValue) && layout.runID(of: $0.key) != runID }
            .sorted { ($0.lastModified ?? "", $0.key) > ($1.lastModified ?? "", $1.key) }
        let listedKeys = Set(listed.map(\.key))
        let newest = verdicts.prefix(VerdictHistory.defaultLimit).compactMap { layout.runID(of: $0.key) }
        var history = await read(newest.map { ($0, listedKeys.contains(layout.key(.verdictHTML, run: $0))) })
        history.older = verdicts.count - newest.count
        let runs = history.entries.reversed().map {
            RecentRuns.Run(runID: $0.runID, createdAt: $0.createdAt, result: $0.result, page: $0.pageKey != nil)
        }
        return (history, RecentRuns(total: verdicts.count, runs: runs))
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
