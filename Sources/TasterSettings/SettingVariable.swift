/// One setting's environment variable (or its several spellings): what it means, its default,
/// the flag that overrides it, the commands that use it and the row of `check --show-settings`
/// that shows it.
///
/// `all` is the one table of every variable taster reads: `taster help settings` prints it,
/// `Settings.variableNames` (where `--show-settings` finds each value's source) comes from it, flag
/// help quotes its defaults, and a test holds docs/settings.md's tables to it, row by row.
package struct SettingVariable: Sendable {
    /// The docs/settings.md section (and `help settings` heading) it belongs to.
    package enum Section: String, Sendable, CaseIterable {
        case mongo = "MongoDB"
        case postgres = "PostgreSQL"
        case s3 = "S3-compatible report store"
        case kubernetes = "Kubernetes"
        case run = "The run"
    }

    package let section: Section
    /// The variable, or the spellings of one setting in precedence order (the first set wins),
    /// or the parts of one setting (`MONGO_NODE`, `MONGO_PORT`, ...): one row of docs/settings.md.
    package let names: [String]
    /// As docs/settings.md's default column says it; "—" for none.
    package let defaultValue: String
    package let meaning: String
    /// The flag that overrides it, if any.
    package let flag: String?
    /// The commands that use it.
    package let commands: [String]
    /// The rows of `check --show-settings` that show it.
    package let shownAs: [String]

    init(
        _ section: Section, _ names: [String], default defaultValue: String = "—", flag: String? = nil,
        commands: [String], shownAs: [String] = [], _ meaning: String
    ) {
        self.section = section
        self.names = names
        self.defaultValue = defaultValue
        self.meaning = meaning
        self.flag = flag
        self.commands = commands
        self.shownAs = shownAs
    }

    /// The entry that holds `name`.
    package static func named(_ name: String) -> SettingVariable? {
        all.first { $0.names.contains(name) }
    }

    /// Help for the flag that overrides `name`: `meaning (NAME, default D).` The meaning is the
    /// flag's own; the variable and default come from the table, so help and docs/settings.md cannot drift.
    package static func flagHelp(_ meaning: String, variable name: String) -> String {
        guard let entry = named(name) else { return meaning + " (\(name))." }
        let spellings = entry.names.joined(separator: " / ")
        return meaning + " (\(spellings)" + (entry.defaultValue == "—" ? "" : ", default \(entry.defaultValue)") + ")."
    }
}

extension SettingVariable {
    static let mongoCommands = ["pre-taste", "post-taste", "snapshot", "check"]
    static let s3Commands = ["pre-taste", "post-taste", "restore", "compare", "check"]
    static let reportCommands = ["pre-taste", "post-taste", "restore", "check"]
    static let kubernetesCommands = ["pre-taste", "post-taste", "restore", "check", "await-job"]
    static let hookCommands = ["pre-taste", "post-taste", "restore"]
    static let everyCommand = ["pre-taste", "post-taste", "restore", "snapshot", "compare", "check", "await-job"]

    /// Every variable taster reads, in docs/settings.md's order.
    package static let all: [SettingVariable] = [
        .init(
            .mongo, ["MONGODB_URI"], commands: mongoCommands, shownAs: ["mongodb.uri"],
            "connection string, e.g. mongodb://taster:PASSWORD@mongo.pxbbq.svc:27017/?authSource=admin; user and password percent-escaped"),
        .init(
            .mongo, ["MONGO_NODE", "MONGO_PORT", "MONGO_USER", "MONGO_PASS"], default: "port 27017", commands: mongoCommands,
            shownAs: ["mongodb.host", "mongodb.port", "mongodb.user", "mongodb.password"],
            "the original demo's spelling: host, port, user and password (escaped for you); ignored when MONGODB_URI is set"),
        .init(
            .mongo, ["TASTER_DATABASE"], default: "pxbbq", flag: "--database", commands: mongoCommands, shownAs: ["mongodb.database"],
            "database to measure"),
        .init(
            .mongo, ["TASTER_COLLECTIONS"], default: "orders,registrations", flag: "--collections", commands: mongoCommands,
            shownAs: ["mongodb.collections"], "collections whose exact document count is always taken (* for every collection)"),
        .init(
            .mongo, ["TASTER_CHECKS"], flag: "--checks", commands: ["pre-taste", "post-taste", "snapshot", "compare", "check"],
            shownAs: ["mongodb.checks"], "path of a checks file (YAML or JSON): extra checks, rules and severities"),
        .init(
            .mongo, ["TASTER_MONGO_WAIT"], default: "2m", flag: "--mongo-wait", commands: ["pre-taste", "post-taste", "snapshot"],
            shownAs: ["mongodb.wait"], "how long to wait for MongoDB to accept connections, inside the deadline"),

        .init(
            .postgres, ["DATABASE_URL"], commands: mongoCommands, shownAs: ["postgresql.connection"],
            "postgres:// or postgresql:// URI, e.g. postgresql://taster:PASSWORD@db.pxbbq.svc:5432/pxbbq?sslmode=verify-full; "
                + "setting it (or a PG* variable) chooses PostgreSQL"),
        .init(
            .postgres, ["PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGPASSWORD"], default: "libpq's",
            commands: mongoCommands, shownAs: ["postgresql.connection"],
            "libpq's own variables, read as libpq reads them, when DATABASE_URL is not set; PGPASSWORD is masked everywhere"),
        .init(
            .postgres, ["PGSSLMODE", "PGSSLROOTCERT", "PGSSLCERT", "PGSSLKEY"], default: "prefer", commands: mongoCommands,
            shownAs: ["postgresql.connection"], "TLS: verify-full with the CA's PEM file checks the server's certificate and name"),
        .init(
            .postgres, ["PGSERVICE", "PGPASSFILE"], default: "~/.pgpass", commands: mongoCommands, shownAs: ["postgresql.connection"],
            "a pg_service.conf service, and the password file (its passwords are masked everywhere)"),

        .init(
            .s3, ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "S3_URL"], default: "AWS's regional endpoint", flag: "--s3-endpoint",
            commands: s3Commands, shownAs: ["s3.endpoint"],
            "endpoint URL; a bare host:port means https unless TASTER_S3_INSECURE=true"),
        .init(.s3, ["AWS_ACCESS_KEY_ID", "S3_ACCESSKEY"], commands: s3Commands, shownAs: ["s3.access-key-id", "s3.credentials"], "access key"),
        .init(.s3, ["AWS_SECRET_ACCESS_KEY", "S3_SECRETKEY"], commands: s3Commands, shownAs: ["s3.secret-access-key"], "secret key (masked everywhere)"),
        .init(.s3, ["AWS_SESSION_TOKEN"], commands: s3Commands, shownAs: ["s3.session-token"], "session token for temporary credentials (masked everywhere)"),
        .init(
            .s3, ["AWS_REGION", "AWS_DEFAULT_REGION"], default: "us-east-1", flag: "--region", commands: s3Commands, shownAs: ["s3.region"],
            "region to sign for"),
        .init(
            .s3, ["TASTER_BUCKET", "S3_RESULTS_BUCKET", "S3_BUCKET"], flag: "--bucket", commands: reportCommands, shownAs: ["s3.bucket"],
            "bucket for reports"),
        .init(
            .s3, ["TASTER_PREFIX"], default: "taster/<namespace>/<app>", flag: "--prefix", commands: reportCommands, shownAs: ["s3.prefix"],
            "key prefix for reports"),
        .init(
            .s3, ["AWS_CA_BUNDLE"], default: "system CAs", commands: s3Commands, shownAs: ["s3.ca-bundle"],
            "PEM file with the CA(s) of an HTTPS endpoint"),
        .init(
            .s3, ["TASTER_S3_ADDRESSING"], default: "path", commands: s3Commands, shownAs: ["s3.addressing"],
            "path (https://endpoint/bucket/key) or virtual (https://bucket.endpoint/key)"),
        .init(
            .s3, ["TASTER_S3_INSECURE"], default: "false", commands: s3Commands, shownAs: ["s3.endpoint"],
            "use plain http for a scheme-less endpoint"),
        .init(
            .s3, ["TASTER_S3_RETRY_BUDGET"], default: "60s", commands: s3Commands, shownAs: ["s3.retry-budget"],
            "how long a request that S3 fails (no connection, 5xx, SlowDown) is tried again before the run fails; inside the deadline"),
        .init(
            .s3, ["AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME"], default: "session name taster", commands: s3Commands,
            shownAs: ["s3.credentials"], "without static keys: a web identity token (IRSA) exchanged at STS for the role's temporary credentials"),
        .init(
            .s3, ["AWS_ENDPOINT_URL_STS", "AWS_STS_REGIONAL_ENDPOINTS"], default: "regional", commands: s3Commands, shownAs: ["s3.credentials"],
            "the STS endpoint for the web identity; regional (sts.REGION.amazonaws.com) or legacy (sts.amazonaws.com)"),
        .init(
            .s3, ["AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], commands: s3Commands, shownAs: ["s3.credentials"],
            "without static keys or a web identity: the container credentials endpoint (EKS Pod Identity agent, ECS)"),
        .init(
            .s3, ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN"], commands: s3Commands, shownAs: ["s3.credentials"],
            "the token that endpoint wants (the file is read on every fetch; the token is a secret)"),
        .init(
            .s3, ["TASTER_REPORT_BASE_URL"], default: "presigned links", commands: ["post-taste"], shownAs: ["links"],
            "link the verdict page as this URL followed by its key (a console or static site serving the bucket)"),
        .init(
            .s3, ["TASTER_LINK_EXPIRY"], default: "168h", commands: ["post-taste"], shownAs: ["links"],
            "how long a presigned link to the verdict page opens it (at most 168h, SigV4's limit)"),

        .init(
            .kubernetes, ["KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"], default: "set by Kubernetes in a pod",
            commands: kubernetesCommands, shownAs: ["kubernetes.access"], "in-cluster access with the pod's service account"),
        .init(
            .kubernetes, ["KUBECONFIG"], default: "~/.kube/config", commands: kubernetesCommands, shownAs: ["kubernetes.access"],
            "kubeconfig file(s), a colon-separated list as kubectl reads it (outside a cluster)"),
        .init(
            .kubernetes, ["TASTER_KUBE_CONTEXT"], default: "current-context", flag: "--context", commands: kubernetesCommands,
            shownAs: ["kubernetes.context"], "kubeconfig context to use"),
        .init(
            .kubernetes, ["TASTER_NAMESPACE"], default: "the pod's namespace, else the context's", flag: "--namespace",
            commands: kubernetesCommands, shownAs: ["kubernetes.namespace"], "namespace of the workloads (await-job: of the Job)"),
        .init(
            .kubernetes, ["TASTER_WORKLOADS"], flag: "--workloads", commands: ["pre-taste", "post-taste", "check"],
            shownAs: ["kubernetes.workloads"],
            "workloads to scale while tasting, e.g. statefulset/mongo=1,deployment/pxbbq-web=1; when empty nothing is scaled"),
        .init(
            .kubernetes, ["TASTER_READY_TIMEOUT"], default: "5m", flag: "--ready-timeout", commands: ["pre-taste", "post-taste"],
            shownAs: ["kubernetes.ready-timeout"], "how long to wait for the workloads to be ready, inside the deadline"),

        .init(
            .run, ["TASTER_DEADLINE"], default: "15m", flag: "--deadline",
            commands: ["pre-taste", "post-taste", "restore", "snapshot", "compare", "check"], shownAs: ["deadline"],
            "the whole run's budget; every wait and retry stays inside it"),
        .init(
            .run, ["TASTER_APP"], default: "the namespace", flag: "--app", commands: reportCommands, shownAs: ["app"],
            "application name used in report keys and summaries"),
        .init(
            .run, ["TASTER_RUN_ID"], default: "from the Argo CD sync, else the time", flag: "--run-id", commands: hookCommands,
            shownAs: ["run-id"], "identifier of the run in report keys"),
        .init(
            .run, ["TASTER_LOG_FORMAT"], default: "text", flag: "--log-format", commands: everyCommand, shownAs: ["log-format"],
            "text for people, json for one JSON object per line"),
        .init(
            .run, ["TASTER_MAX_BASELINE_AGE"], default: "24h", flag: "--max-baseline-age", commands: ["pre-taste", "post-taste"],
            shownAs: ["max-baseline-age"],
            "refuse (exit 4) a baseline older than this; pre-taste: how long an earlier run without a verdict may still be in progress"),
        .init(
            .run, ["TASTER_EVIDENCE_LIMIT"], default: "20", commands: ["post-taste"], shownAs: ["evidence.limit"],
            "how many _ids of lost, added and modified documents a verdict names, at most 1000 (the full list goes to S3)"),
        .init(
            .run, ["TASTER_EVIDENCE_MAX_DOCUMENTS"], default: "5000000", commands: ["pre-taste", "post-taste"],
            shownAs: ["evidence.max-documents"], "a check over this many documents keeps no document index (judged by its value)"),
        .init(
            .run, ["TASTER_EVIDENCE_KEY"], default: "derived from the database password", commands: ["pre-taste", "post-taste"],
            shownAs: ["evidence.key"],
            "secret key (16+ characters, e.g. openssl rand -base64 32) of the document indexes' field digests; none and no password: _ids only"),
        .init(
            .run, ["TASTER_ARGOCD_APP"], commands: hookCommands, shownAs: ["argocd.application"],
            "the Argo CD Application whose sync this run checks: the run id comes from its sync operation"),
        .init(
            .run, ["TASTER_ARGOCD_NAMESPACE"], default: "argocd", commands: hookCommands, shownAs: ["argocd.namespace"],
            "the namespace of that Application"),
        .init(
            .run, ["TASTER_NOTIFY_URL"], commands: ["pre-taste", "post-taste"], shownAs: ["notify.url"],
            "where to POST a notification (a secret: masked everywhere)"),
        .init(
            .run, ["TASTER_NOTIFY_FORMAT"], default: "json", commands: ["pre-taste", "post-taste"], shownAs: ["notify.format"],
            "json, or slack for Slack's {\"text\": …}"),
        .init(
            .run, ["TASTER_NOTIFY_ON"], default: "failure", commands: ["pre-taste", "post-taste"], shownAs: ["notify.on"],
            "failure, or always"),
        .init(
            .run, ["TASTER_PUSHGATEWAY_URL"], commands: hookCommands, shownAs: ["metrics.pushgateway"],
            "a Prometheus Pushgateway each hook pushes its run's metrics to (docs/metrics.md)"),
        .init(
            .run, ["TASTER_PUSHGATEWAY_USERNAME", "TASTER_PUSHGATEWAY_PASSWORD"], commands: hookCommands, shownAs: ["metrics.auth"],
            "basic auth for the Pushgateway (the password is a secret)"),
        .init(
            .run, ["TASTER_PUSHGATEWAY_TOKEN"], commands: hookCommands, shownAs: ["metrics.auth"],
            "a bearer token for the Pushgateway instead (a secret)"),
        .init(
            .run, ["POD_NAME", "POD_NAMESPACE"], default: "set by hooks/ from the downward API", commands: ["pre-taste", "post-taste"],
            "the hook's pod, to post the result as an Event on its Job"),
        .init(
            .run, ["TASTER_TERMINATION_LOG"], default: "/dev/termination-log", commands: hookCommands,
            "where the summary line goes (when the file exists)"),
    ]
}
