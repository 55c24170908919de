/// The three reports of a run.
public enum ReportKind: String, Sendable, CaseIterable {
    /// The baseline, written by `pre-taste` before the sync.
    case pre
    /// The snapshot after the sync, written by `post-taste`.
    case post
    /// The comparison's outcome, written by `post-taste`.
    case verdict

    /// `pre.json`, `post.json`, `verdict.json`.
    public var fileName: String { "\(rawValue).json" }
}
