import TasterCore
import TasterKubernetes
import TasterMetrics
import TasterMongo
import TasterNotify
import TasterPostgres
import TasterS3
import TasterSupport

/// Everything a run is configured with, read from environment variables (a Job's Secret and
/// ConfigMap) with flags layered on top, and validated before anything is touched.
///
/// Loading checks every value that is set and reports all problems at once (exit 2). Whether a
/// dependency must be configured at all depends on the command: see `requireDatabase()`, `requireMongo()`,
/// `requireS3()`.
package struct Settings: Sendable {
    package var mongo: MongoSettings
    /// PostgreSQL, when `DATABASE_URL` or a libpq variable is set (then MongoDB is not).
    package var postgres: PostgresSettings?
    package var s3: S3Settings
    package var kubernetes: KubernetesSettings
    /// `TASTER_APP`; nil means the namespace.
    package var app: String?
    /// `TASTER_RUN_ID`.
    package var runID: String?
    package var logFormat: LogFormat
    /// `TASTER_ARGOCD_APP`: the Argo CD Application whose sync this run checks (run id from its
    /// sync operation); `TASTER_ARGOCD_NAMESPACE` (default `argocd`) is where it lives.
    package var argoApplication: String?
    package var argoNamespace: String
    /// Where to send a notification about the verdict (`TASTER_NOTIFY_*`); nil when not set.
    package var notification: NotificationSettings?
    /// Where the hooks push their run's metrics (`TASTER_PUSHGATEWAY_*`); nil when not set.
    package var pushgateway: PushgatewaySettings?
    /// `TASTER_DEADLINE`: the whole run's budget.
    package var deadline: Duration
    /// `TASTER_MAX_BASELINE_AGE`: post-taste refuses an older baseline.
    package var maxBaselineAge: Duration = Settings.defaultMaxBaselineAge
    /// `TASTER_EVIDENCE_LIMIT`, `TASTER_EVIDENCE_MAX_DOCUMENTS`: the documents a verdict names.
    package var evidence = EvidencePolicy()
    /// `TASTER_EVIDENCE_KEY`, else the database password: what a phase makes the key
    /// of the indexes' field digests from; nil when neither is set.
    package var evidenceSecret: EvidenceSecret?
    /// Variables that were set but lost to a standard spelling, e.g. `S3_URL` beside `AWS_ENDPOINT_URL`.
    package var shadowed: [(ignored: String, winner: String)]
    /// Where each setting came from (variable or flag), keyed by the variable's standard name.
    package var sources: [String: String]

    package static let defaultDeadline: Duration = .seconds(900)
    package static let defaultMaxBaselineAge = PostTasteWorkflow.Options.defaultMaxBaselineAge

    /// The groups of settings a command may need. A problem in a group the command does not need
    /// is not its problem: `restore` (the SyncFail hook) puts the replicas back whatever the
    /// MongoDB settings say, and `compare` of two files needs nothing but the checks file.
    package struct Sections: OptionSet, Sendable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }
        /// `MONGODB_URI` or `MONGO_*`, `TASTER_DATABASE`, `TASTER_COLLECTIONS`, `TASTER_MONGO_WAIT`.
        package static let database = Sections(rawValue: 1)
        /// `TASTER_CHECKS`.
        package static let checks = Sections(rawValue: 2)
        /// The report store: `TASTER_BUCKET`, `TASTER_PREFIX`, the endpoint and credentials.
        package static let store = Sections(rawValue: 4)
        /// Kubernetes access and `TASTER_WORKLOADS`.
        package static let kubernetes = Sections(rawValue: 8)
        /// `TASTER_NOTIFY_*`.
        package static let notification = Sections(rawValue: 16)
        /// `TASTER_PUSHGATEWAY_*`.
        package static let metrics = Sections(rawValue: 32)
        package static let all: Sections = [.database, .checks, .store, .kubernetes, .notification, .metrics]
    }

    /// Reads every setting and validates those of `sections` and of the run (app, run id, log
    /// format, Argo CD, deadlines); throws one `ConfigurationError` listing all their problems.
    /// Every secret is registered with the scrubber, whichever sections are needed.
    package static func load(from environment: Environment, sections: Sections = .all) throws(ConfigurationError) -> Settings {
        var problems: [ConfigurationProblem] = []
        func read<T>(_ section: Sections, _ body: (inout SettingsReader) -> T) -> T {
            var reader = SettingsReader(environment)
            let value = body(&reader)
            if sections.contains(section) { problems += reader.problems }
            return value
        }
        var mongo = read(.database, MongoSettings.read)
        mongo.checksFile = read(.checks) { $0.readableFile("TASTER_CHECKS", example: "/etc/taster/checks.yaml") }
        let postgres = read(.database) { reader in
            PostgresSettings.read(&reader, tables: mongo.collections, checksFile: mongo.checksFile, wait: mongo.wait)
        }
        if sections.contains(.database), let engines = bothEngines(environment) {
            problems.append(engines)
        }
        let s3 = read(.store, S3Settings.read)
        let kubernetes = read(.kubernetes, KubernetesSettings.read)

        var reader = SettingsReader(environment)
        var app: String?
        if let text = reader.string("TASTER_APP") {
            if NameRules.isDNSLabel(text) || NameRules.isSafeIdentifier(text) {
                app = text
            } else {
                reader.fail(
                    "TASTER_APP", "\"\(text)\" may only hold letters, digits, '.', '_' and '-' (it becomes part of S3 keys)",
                    example: "TASTER_APP=pxbbq")
            }
        }
        var runID: String?
        if let text = reader.string("TASTER_RUN_ID") {
            if NameRules.isSafeIdentifier(text) {
                runID = text
            } else {
                reader.fail(
                    "TASTER_RUN_ID", "\"\(text)\" may only hold letters, digits, '.', '_' and '-', at most 128 characters",
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
            if NameRules.isDNSLabel(text) {
                argoNamespace = text
            } else {
                reader.fail("TASTER_ARGOCD_NAMESPACE", "\"\(text)\" is not a namespace name", example: "TASTER_ARGOCD_NAMESPACE=argocd")
            }
        }
        let deadline = reader.duration("TASTER_DEADLINE", default: defaultDeadline, example: "15m")
        let maxBaselineAge = reader.duration("TASTER_MAX_BASELINE_AGE", default: defaultMaxBaselineAge, example: "24h")
        let evidence = EvidencePolicy(
            limit: Int(
                reader.integer(
                    "TASTER_EVIDENCE_LIMIT", default: Int64(EvidencePolicy.defaultLimit), minimum: 0,
                    maximum: Int64(EvidencePolicy.maximumLimit), example: "20")),
            maxDocuments: reader.integer(
                "TASTER_EVIDENCE_MAX_DOCUMENTS", default: EvidencePolicy.defaultMaxDocuments, minimum: 0, example: "5000000"))
        let evidenceSecret = readEvidenceSecret(&reader, mongo: mongo, postgres: postgres)
        problems += reader.problems
        let notification = read(.notification, NotificationSettings.read)
        let pushgateway = read(.metrics, PushgatewaySettings.read)
        if !problems.isEmpty { throw ConfigurationError(problems) }

        var shadowed: [(String, String)] = []
        for names in [
            ["MONGODB_URI", "MONGO_NODE"], S3Settings.endpointNames, S3Settings.accessKeyNames,
            S3Settings.secretKeyNames, S3Settings.regionNames, S3Settings.bucketNames,
        ] {
            if let winner = environment.first(of: names)?.name {
                for ignored in environment.shadowed(in: names) { shadowed.append((ignored, winner)) }
            }
        }
        var sources: [String: String] = [:]
        for name in Self.variableNames where environment[name] != nil {
            sources[name] = environment.source(of: name)
        }
        return Settings(
            mongo: mongo, postgres: postgres, s3: s3, kubernetes: kubernetes, app: app, runID: runID,
            logFormat: logFormat, argoApplication: argoApplication, argoNamespace: argoNamespace,
            notification: notification, pushgateway: pushgateway, deadline: deadline, maxBaselineAge: maxBaselineAge,
            evidence: evidence, evidenceSecret: evidenceSecret, shadowed: shadowed, sources: sources)
    }

    /// The engine the settings choose: MongoDB (`MONGODB_URI` or `MONGO_*`) or PostgreSQL
    /// (`DATABASE_URL` or the libpq variables). Neither is exit 2 naming both.
    package enum DatabaseEngine: Sendable {
        case mongo(MongoSettings)
        case postgres(PostgresSettings)
    }

    package func requireDatabase() throws(ConfigurationError) -> DatabaseEngine {
        if let postgres { return .postgres(postgres) }
        guard mongo.connection != nil else {
            throw ConfigurationError(
                variable: "MONGODB_URI or DATABASE_URL",
                problem: "neither is set (nor MONGO_NODE, nor the libpq variables PGHOST, PGDATABASE...): taster needs to know "
                    + "where the database is — MONGODB_URI for MongoDB, DATABASE_URL for PostgreSQL",
                example: "DATABASE_URL=postgresql://taster:PASSWORD@db.pxbbq.svc:5432/pxbbq?sslmode=verify-full")
        }
        return .mongo(mongo)
    }

    /// Both engines configured: which variables of each are set (values not shown).
    static func bothEngines(_ environment: Environment) -> ConfigurationProblem? {
        let mongo = ["MONGODB_URI", "MONGO_NODE"].filter { environment[$0]?.isEmpty == false }
        let postgres = PostgresSettings.selectingNames.filter { environment[$0]?.isEmpty == false }
        guard !mongo.isEmpty, !postgres.isEmpty else { return nil }
        return ConfigurationProblem(
            variable: (mongo + postgres).joined(separator: ", "),
            problem: "are all set, but taster guards one database: \(mongo.joined(separator: " and ")) choose MongoDB, "
                + "\(postgres.joined(separator: " and ")) choose PostgreSQL; unset the engine's variables you do not mean",
            example: "DATABASE_URL=postgresql://taster:PASSWORD@db.pxbbq.svc:5432/pxbbq (and no MONGODB_URI)")
    }

    /// MongoDB settings, or exit 2 naming the variable to set.
    package func requireMongo() throws(ConfigurationError) -> MongoSettings {
        guard mongo.connection != nil else {
            throw ConfigurationError(
                variable: "MONGODB_URI", problem: "is not set (nor MONGO_NODE): taster needs to know where MongoDB is",
                example: "MONGODB_URI=mongodb://taster:PASSWORD@mongo.pxbbq.svc:27017/?authSource=admin")
        }
        return mongo
    }

    /// S3 settings with bucket and credentials, or exit 2 naming what is missing.
    package func requireS3() throws(ConfigurationError) -> S3Settings {
        var problems: [ConfigurationProblem] = []
        if s3.bucket == nil {
            problems.append(
                .init(
                    variable: "TASTER_BUCKET", problem: "is not set (nor S3_RESULTS_BUCKET or S3_BUCKET): reports need a bucket",
                    example: "TASTER_BUCKET=taster-reports"))
        }
        if s3.credentialSource == nil {
            problems += S3Settings.missingCredentials
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
        return s3
    }

    /// Every variable taster reads (`SettingVariable.all`), for `--show-settings`.
    package static let variableNames = SettingVariable.all.flatMap(\.names)
}
