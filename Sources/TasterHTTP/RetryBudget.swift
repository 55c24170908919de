import TasterSupport

/// How long a policy goes on retrying, and the setting that says so (named in logs and errors).
package struct RetryBudget: Sendable, Equatable {
    package var duration: Duration
    /// The variable that set it, e.g. `TASTER_S3_RETRY_BUDGET`.
    package var variable: String

    package init(_ duration: Duration, variable: String) {
        self.duration = duration
        self.variable = variable
    }

    /// `TASTER_S3_RETRY_BUDGET=60s`: whole seconds as such (not `1m`), so the log's "12.3 s of"
    /// reads against the same unit.
    package var setting: String {
        let milliseconds = duration.milliseconds
        let shown = milliseconds % 1000 == 0 ? "\(milliseconds / 1000)s" : DurationParser.format(duration)
        return "\(variable)=\(shown)"
    }
}
