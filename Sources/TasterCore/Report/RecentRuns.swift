/// `<prefix>/recent-runs.json`: the app's newest runs that stored a verdict (at most `limit`,
/// newest first) and how many stored one in all. The verdict page's history reads it and the
/// verdicts it names, so a post-taste costs the same after ten runs or ten thousand; post-taste
/// rewrites it once its verdict and page are stored.
///
/// It is read, changed and written back without a lock: two post-tastes of one app that end at
/// the same moment may each write a version without the other's run (that run is then missing
/// from later pages' history, and `total` is one short). Nothing else depends on it; the runs'
/// reports are where they always are.
package struct RecentRuns: Sendable, Equatable, Codable {
    package static let currentSchemaVersion = 1
    /// How many runs it keeps: as many as a page shows.
    package static let limit = VerdictHistory.defaultLimit

    package struct Run: Sendable, Equatable, Codable {
        package var runID: String
        package var createdAt: String
        package var result: Verdict.Result
        /// Whether the run's `verdict.html` was stored (the page links to it, else to `verdict.json`).
        package var page: Bool

        enum CodingKeys: String, CodingKey { case runID = "runId", createdAt, result, page }

        package init(runID: String, createdAt: String, result: Verdict.Result, page: Bool) {
            self.runID = runID
            self.createdAt = createdAt
            self.result = result
            self.page = page
        }
    }

    package var schemaVersion: Int
    /// Runs that stored a verdict, in all (as far as this file knows).
    package var total: Int
    /// The newest `limit`, newest first.
    package var runs: [Run]

    package init(total: Int = 0, runs: [Run] = []) {
        schemaVersion = Self.currentSchemaVersion
        self.total = total
        self.runs = Array(runs.prefix(Self.limit))
    }

    /// The `total` a file may claim: more is an edited file (read as unreadable and built again
    /// from the listing), never arithmetic that overflows.
    package static let plausibleTotal = 0...1_000_000_000

    enum CodingKeys: String, CodingKey { case schemaVersion, total, runs }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        schemaVersion = try container.decode(Int.self, forKey: .schemaVersion)
        total = try container.decode(Int.self, forKey: .total)
        // An edited file's longer list would cost a read of each verdict: the newest `limit` only.
        runs = Array(try container.decode([Run].self, forKey: .runs).prefix(Self.limit))
        guard Self.plausibleTotal.contains(total) else {
            throw DecodingError.dataCorruptedError(
                forKey: .total, in: container, debugDescription: "total \(total) is outside \(Self.plausibleTotal.lowerBound)–\(Self.plausibleTotal.upperBound)"
            )
        }
    }

    /// With `run` added as the newest (once: a run already listed is not counted again).
    package func adding(_ run: Run) -> RecentRuns {
        if runs.contains(where: { $0.runID == run.runID }) { return self }
        return RecentRuns(total: max(total, runs.count) + 1, runs: [run] + runs)
    }
}
