import FoundationEssentials

/// Earlier verdicts of the same app, for the history charts on the verdict page.
package struct VerdictHistory: Sendable, Equatable {
    package struct Entry: Sendable, Equatable {
        package let runID: String
        package let createdAt: String
        package let result: Verdict.Result
        /// Each check as that run saw it, by check name: its post value (of any kind, so that a
        /// fingerprint has a history too) and its own result.
        package let checks: [String: Mark]
        /// The run's `verdict.json` and, when it was stored, its `verdict.html`: what the page
        /// links to.
        package var verdictKey: String?
        package var pageKey: String?

        package init(
            runID: String, createdAt: String, result: Verdict.Result, checks: [String: Mark],
            verdictKey: String? = nil, pageKey: String? = nil
        ) {
            self.runID = runID
            self.createdAt = createdAt
            self.result = result
            self.checks = checks
            self.verdictKey = verdictKey
            self.pageKey = pageKey
        }

        package init(verdict: Verdict, verdictKey: String? = nil, pageKey: String? = nil) {
            var checks: [String: Mark] = [:]
            for check in verdict.checks where checks[check.name] == nil {
                checks[check.name] = Mark(value: check.post, result: check.result)
            }
            self.init(
                runID: verdict.runID, createdAt: verdict.createdAt, result: verdict.result, checks: checks,
                verdictKey: verdictKey, pageKey: pageKey)
        }
    }

    /// One check in one run.
    package struct Mark: Sendable, Equatable {
        /// The post value; nil when there was none (a missing collection, an empty `min`).
        package let value: CheckValue?
        package let result: CheckComparison.Result

        package init(value: CheckValue?, result: CheckComparison.Result) {
            self.value = value
            self.result = result
        }
    }

    /// Oldest first, at most `limit` entries, not including the verdict being shown.
    package var entries: [Entry]
    /// Runs that could not be read, said on the page.
    package var skipped: [String]
    /// Earlier runs beyond the newest `defaultLimit`, not shown (the page says how many).
    package var older: Int

    package init(entries: [Entry] = [], skipped: [String] = [], older: Int = 0) {
        self.entries = entries
        self.skipped = skipped
        self.older = older
    }

    package static let defaultLimit = 20
}
