/// Where a run's reports live in the bucket:
///
/// ```
/// <prefix>/runs/<run-id>/pre.json       the baseline (pre-taste)
/// <prefix>/runs/<run-id>/post.json      the snapshot after the sync (post-taste)
/// <prefix>/runs/<run-id>/verdict.json   the comparison's outcome (post-taste)
/// <prefix>/latest-pre.json              pointer to the newest baseline: run id, time, key
/// ```
///
/// The prefix is `TASTER_PREFIX`, else `taster/<namespace>/<app>`. Reports are written
/// create-only; the pointer is the one object that is replaced, by every `pre-taste`.
public struct ReportLocation: Sendable, Equatable {
    /// Without leading or trailing slashes.
    public let prefix: String
    public let runID: String

    public init(prefix: String, runID: String) {
        self.prefix = prefix.trimmingCharacters("/")
        self.runID = runID
    }

    /// The prefix from settings (`TASTER_PREFIX`), else the default for `namespace` and `app`
    /// (`TASTER_APP`, which defaults to the namespace).
    public init(settings: S3Settings, namespace: String, app: String?, runID: String) {
        self.init(prefix: settings.prefix ?? Self.defaultPrefix(namespace: namespace, app: app), runID: runID)
    }

    /// `taster/<namespace>/<app>`; the app defaults to the namespace.
    public static func defaultPrefix(namespace: String, app: String?) -> String {
        "taster/\(namespace)/\(app ?? namespace)"
    }

    /// `<prefix>/runs/<run-id>/`: every report of this run, for a listing.
    public var runPrefix: String { "\(prefix)/runs/\(runID)/" }

    /// `<prefix>/runs/`: every run, for a listing.
    public var runsPrefix: String { "\(prefix)/runs/" }

    /// `<prefix>/runs/<run-id>/<kind>.json`.
    public func key(_ kind: ReportKind) -> String { runPrefix + kind.fileName }

    /// `<prefix>/latest-pre.json`.
    public var latestPreKey: String { "\(prefix)/latest-pre.json" }

    /// The report as an `s3://` URI, for messages and `taster compare`.
    public func uri(_ kind: ReportKind, bucket: String) -> S3URI {
        S3URI(bucket: bucket, key: key(kind))
    }
}
