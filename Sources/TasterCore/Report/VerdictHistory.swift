import FoundationEssentials

/// Earlier verdicts of the same app, for the history charts on the verdict page.
public struct VerdictHistory: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public let runID: String
        public let createdAt: String
        public let result: Verdict.Result
        /// Each check's post value (numbers only), by check name.
        public let values: [String: Decimal]

        public init(runID: String, createdAt: String, result: Verdict.Result, values: [String: Decimal]) {
            self.runID = runID
            self.createdAt = createdAt
            self.result = result
            self.values = values
        }

        public init(verdict: Verdict) {
            var values: [String: Decimal] = [:]
            for check in verdict.checks {
                if let value = check.post?.decimal { values[check.name] = value }
            }
            self.init(runID: verdict.runID, createdAt: verdict.createdAt, result: verdict.result, values: values)
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
