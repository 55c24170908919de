/// The process exit codes taster documents in README and `--help`.
///
/// Fail closed: every error maps to a non-zero code; only a completed comparison that found
/// nothing wrong (or a tool that succeeded) exits 0.
package enum TasterExitCode: Int32, Sendable, CaseIterable {
    /// The run completed and, where data was compared, nothing changed beyond the rules.
    case pass = 0
    /// Data changed beyond a rule: the sync must fail.
    case integrityFailure = 1
    /// Usage or configuration error: a flag, variable or checks file is missing or malformed.
    case usage = 2
    /// A dependency failed: Kubernetes, MongoDB or S3 unreachable, denied or timed out.
    case dependency = 3
    /// No usable baseline: missing, unreadable, wrong schema, already used or too old.
    case noBaseline = 4
    /// Stopped by SIGINT (128+2); nothing was passed.
    case interrupted = 130
    /// Stopped by SIGTERM (128+15), e.g. a Job deadline or deletion; nothing was passed.
    case terminated = 143

    /// One line per code, for `--help` and README.
    package var meaning: String {
        switch self {
        case .pass: "pass"
        case .integrityFailure: "data-integrity failure: data changed beyond a rule"
        case .usage: "usage or configuration error"
        case .dependency: "a dependency failed (Kubernetes, MongoDB or S3 down, denied, timed out)"
        case .noBaseline: "no usable baseline"
        case .interrupted: "stopped by SIGINT; nothing was passed"
        case .terminated: "stopped by SIGTERM (Job deadline or deletion); nothing was passed"
        }
    }

    /// The text block `taster --help` shows: every code.
    package static var helpText: String {
        helpText(allCases, meanings: [.integrityFailure: "data changed beyond a rule (await-job: the Job failed)"])
    }

    /// The text block a command's `--help` shows: only the codes that command exits with, each
    /// with the command's own meaning where `meanings` gives one (await-job's 1 is "the Job
    /// failed", not "data changed").
    package static func helpText(_ codes: [TasterExitCode], meanings: [TasterExitCode: String] = [:]) -> String {
        "Exit codes:\n"
            + codes.map {
                let code = String($0.rawValue)
                let lines = TextFormatting.wrap(meanings[$0] ?? $0.meaning, width: 79 - 7)
                return "  " + code + String(repeating: " ", count: 5 - code.count) + lines.joined(separator: "\n       ")
            }.joined(separator: "\n")
    }
}
