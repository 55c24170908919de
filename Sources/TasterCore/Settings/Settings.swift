/// Everything a run is configured with, read from environment variables (a Job's Secret and
/// ConfigMap) with flags layered on top, and validated before anything is touched.
///
/// Loading checks every value that is set and reports all problems at once (exit 2). Whether a
/// dependency must be configured at all depends on the command: see `requireMongo()`,
/// `requireS3()`.
public struct Settings: Sendable {
    public var mongo: MongoSettings
    public var s3: S3Settings
    public var kubernetes: KubernetesSettings
    /// `TASTER_APP`; nil means the namespace.
    public var app: String?
    /// `TASTER_RUN_ID`.
    public var runID: String?
    public var logFormat: LogFormat
    /// `TASTER_ARGOCD_APP`: the Argo CD Application whose sync this run checks (run id from its
    /// sync operation); `TASTER_ARGOCD_NAMESPACE` (default `argocd`) is where it lives.
    public var argoApplication: String?
    public var argoNamespace: String
    /// Where to send a notification about the verdict (`TASTER_NOTIFY_*`); nil when not set.
    public var notification: NotificationSettings?
    /// `TASTER_DEADLINE`: the whole run's budget.
    public var deadline: Duration
    /// `TASTER_MAX_BASELINE_AGE`: post-taste refuses an older baseline.
    public var maxBaselineAge: Duration = Settings.defaultMaxBaselineAge
    /// Variables that were set but lost to a standard spelling, e.g. `S3_URL` beside `AWS_ENDPOINT_URL`.
    public var shadowed: [(ignored: String, winner: String)]
    /// Where each setting came from (variable or flag), keyed by the variable's standard name.
    public var sources: [String: String]

    public static let defaultDeadline: Duration = .seconds(900)
    public static let defaultMaxBaselineAge: Duration = .seconds(86_400)

    /// Reads and validates every setting; throws one `ConfigurationError` listing all problems.
    public static func load(from environment: Environment) throws(ConfigurationError) -> Settings {
        var reader = SettingsReader(environment)
        let mongo = MongoSettings.read(&reader)
        let s3 = S3Settings.read(&reader)
        let kubernetes = KubernetesSettings.read(&reader)

        var app: String?
        if let text = reader.string("TASTER_APP") {
            if KubernetesSettings.isDNSLabel(text) || isSafeIdentifier(text) {
                app = text
            } else {
                reader.fail("TASTER_APP", "\"\(text)\" may only hold letters, digits, '.', '_' and '-' (it becomes part of S3 keys)",
                            example: "TASTER_APP=pxbbq")
            }
        }
        var runID: String?
        if let text = reader.string("TASTER_RUN_ID") {
            if isSafeIdentifier(text) {
                runID = text
            } else {
                reader.fail("TASTER_RUN_ID", "\"\(text)\" may only hold letters, digits, '.', '_' and '-', at most 128 characters",
                            example: "TASTER_RUN_ID=20261121T100000Z")
            }
        }
        let logFormat = reader.choice("TASTER_LOG_FORMAT", default: LogFormat.text)
        var argoApplication: String?
        if let text = reader.string("TASTER_ARGOCD_APP") {
            if WorkloadTarget.isDNSSubdomain(text) {
                argoApplication = text
            } else {
                reader.fail("TASTER_ARGOCD_APP", "\"\(text)\" is not an Application name", example: "TASTER_ARGOCD_APP=stage-pxbbq")
            }
        }
        var argoNamespace = "argocd"
        if let text = reader.string("TASTER_ARGOCD_NAMESPACE") {
            if KubernetesSettings.isDNSLabel(text) {
                argoNamespace = text
            } else {
                reader.fail("TASTER_ARGOCD_NAMESPACE", "\"\(text)\" is not a namespace name", example: "TASTER_ARGOCD_NAMESPACE=argocd")
            }
        }
        let deadline = reader.duration("TASTER_DEADLINE", default: defaultDeadline, example: "15m")
        let maxBaselineAge = reader.duration("TASTER_MAX_BASELINE_AGE", default: defaultMaxBaselineAge, example: "24h")
        let notification = NotificationSettings.read(&reader)

        if !reader.problems.isEmpty { throw ConfigurationError(reader.problems) }

        var shadowed: [(String, String)] = []
        for names in [["MONGODB_URI", "MONGO_NODE"], S3Settings.endpointNames, S3Settings.accessKeyNames,
                      S3Settings.secretKeyNames, S3Settings.regionNames, S3Settings.bucketNames] {
            if let winner = environment.first(of: names)?.name {
                for ignored in environment.shadowed(in: names) { shadowed.append((ignored, winner)) }
            }
        }
        var sources: [String: String] = [:]
        for name in Self.variableNames where environment[name] != nil {
            sources[name] = environment.source(of: name)
        }
        return Settings(mongo: mongo, s3: s3, kubernetes: kubernetes, app: app, runID: runID,
                        logFormat: logFormat, argoApplication: argoApplication, argoNamespace: argoNamespace,
                        notification: notification, deadline: deadline, maxBaselineAge: maxBaselineAge, shadowed: shadowed,
                        sources: sources)
    }

    /// MongoDB settings, or exit 2 naming the variable to set.
    public func requireMongo() throws(ConfigurationError) -> MongoSettings {
        guard mongo.connection != nil else {
            throw ConfigurationError(variable: "MONGODB_URI", problem: "is not set (nor MONGO_NODE): taster needs to know where MongoDB is",
                                     example: "MONGODB_URI=mongodb://taster:PASSWORD@mongo.pxbbq.svc:27017/?authSource=admin")
        }
        return mongo
    }

    /// S3 settings with bucket and credentials, or exit 2 naming what is missing.
    public func requireS3() throws(ConfigurationError) -> S3Settings {
        var problems: [ConfigurationProblem] = []
        if s3.bucket == nil {
            problems.append(.init(variable: "TASTER_BUCKET", problem: "is not set (nor S3_RESULTS_BUCKET or S3_BUCKET): reports need a bucket",
                                  example: "TASTER_BUCKET=taster-reports"))
        }
        if s3.accessKeyID == nil {
            problems.append(.init(variable: "AWS_ACCESS_KEY_ID", problem: "is not set (nor S3_ACCESSKEY)", example: "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"))
        }
        if s3.secretAccessKey == nil {
            problems.append(.init(variable: "AWS_SECRET_ACCESS_KEY", problem: "is not set (nor S3_SECRETKEY)", example: "AWS_SECRET_ACCESS_KEY=<the key's secret>"))
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return s3
    }

    /// Every variable taster reads (`SettingVariable.all`), for `--show-settings`.
    public static let variableNames = SettingVariable.all.flatMap(\.names)

    static func isSafeIdentifier(_ text: String) -> Bool {
        (1...128).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
            && text != "." && text != ".."
    }
}
