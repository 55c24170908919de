/// The process exit codes taster documents in README and `--help`.
///
/// Fail closed: every error maps to a non-zero code; only a completed comparison that found
/// nothing wrong (or a tool that succeeded) exits 0.
public enum TasterExitCode: Int32, Sendable, CaseIterable {
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

    /// One line per code, for `--help` and README.
    public var meaning: String {
        switch self {
        case .pass: "pass"
        case .integrityFailure: "data-integrity failure: data changed beyond a rule"
        case .usage: "usage or configuration error"
        case .dependency: "a dependency failed (Kubernetes, MongoDB or S3 down, denied, timed out)"
        case .noBaseline: "no usable baseline"
        }
    }

    /// The text block `--help` shows.
    public static var helpText: String {
        "Exit codes:\n" + allCases.map { "  \($0.rawValue)  \($0.meaning)" }.joined(separator: "\n")
    }
}
