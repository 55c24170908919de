import FoundationEssentials

/// Earlier verdicts of the same app, for the history charts on the verdict page.
public struct VerdictHistory: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let runID: String
        public let createdAt: String
        public let result: Verdict.Result
        /// Each check as that run saw it, by check name: its post value (of any kind, so that a
        /// fingerprint has a history too) and its own result.
        public let checks: [String: Mark]
        /// The run's `verdict.json` and, when it was stored, its `verdict.html`: what the page
        /// links to.
        public var verdictKey: String?
        public var pageKey: String?

        public init(runID: String, createdAt: String, result: Verdict.Result, checks: [String: Mark],
                    verdictKey: String? = nil, pageKey: String? = nil) {
            self.runID = runID
            self.createdAt = createdAt
            self.result = result
            self.checks = checks
            self.verdictKey = verdictKey
            self.pageKey = pageKey
        }

        public init(verdict: Verdict, verdictKey: String? = nil, pageKey: String? = nil) {
            var checks: [String: Mark] = [:]
            for check in verdict.checks where checks[check.name] == nil {
                checks[check.name] = Mark(value: check.post, result: check.result)
            }
            self.init(runID: verdict.runID, createdAt: verdict.createdAt, result: verdict.result, checks: checks,
                      verdictKey: verdictKey, pageKey: pageKey)
        }
    }

    /// One check in one run.
    public struct Mark: Sendable, Equatable {
        /// The post value; nil when there was none (a missing collection, an empty `min`).
        public let value: CheckValue?
        public let result: CheckComparison.Result

        public init(value: CheckValue?, result: CheckComparison.Result) {
            self.value = value
            self.result = result
        }
    }

    /// Oldest first, at most `limit` entries, not including the verdict being shown.
    public var entries: [Entry]
    /// Runs that could not be read, said on the page.
    public var skipped: [String]

    public init(entries: [Entry] = [], skipped: [String] = []) {
        self.entries = entries
        self.skipped = skipped
    }

    public static let defaultLimit = 20
}
