import TasterHTTP
import TasterMetrics
import TasterPostgres
import TasterS3
import TasterSupport

/// `taster check --show-settings`: every effective setting, where it came from, secrets masked.
extension Settings {
    package struct Row: Sendable, Equatable {
        package let setting: String
        package let value: String
        package let source: String
    }

    /// One row per setting. Passwords, secret keys, tokens and URI user info are masked.
    package var rows: [Row] {
        var rows: [Row] = []
        func add(_ setting: String, _ value: String, _ variable: String?, defaultNote: String = "default") {
            let source = variable.flatMap { sources[$0] } ?? defaultNote
            rows.append(Row(setting: setting, value: value, source: source))
        }
        let mask = SecretRedactor.mask

        switch mongo.connection {
        case .uri: add("mongodb.uri", mongo.redactedURI ?? "", "MONGODB_URI")
        case .parts(let host, let port, let user, let password):
            add("mongodb.host", host, "MONGO_NODE")
            add("mongodb.port", String(port), "MONGO_PORT")
            add("mongodb.user", user ?? "(none)", "MONGO_USER", defaultNote: "not set")
            add("mongodb.password", password == nil ? "(none)" : mask, "MONGO_PASS", defaultNote: "not set")
        case nil: add("mongodb.uri", "(not set)", nil, defaultNote: "set MONGODB_URI or MONGO_NODE")
        }
        add("mongodb.database", mongo.database, "TASTER_DATABASE")
        add("mongodb.collections", mongo.collections.joined(separator: ","), "TASTER_COLLECTIONS")
        add("mongodb.checks", mongo.checksFile ?? "(none)", "TASTER_CHECKS", defaultNote: "not set")
        add("mongodb.wait", DurationParser.format(mongo.wait), "TASTER_MONGO_WAIT")
        add(
            "postgresql.connection", postgres?.display ?? "(not set)",
            PostgresSettings.selectingNames.first { sources[$0] != nil },
            defaultNote: "set DATABASE_URL (or PG*) for PostgreSQL")

        let endpointVariable = S3Settings.endpointNames.first { sources[$0] != nil }
        add("s3.endpoint", s3.effectiveEndpoint.description, endpointVariable, defaultNote: "default (AWS)")
        add("s3.region", s3.region, S3Settings.regionNames.first { sources[$0] != nil })
        add("s3.bucket", s3.bucket ?? "(not set)", S3Settings.bucketNames.first { sources[$0] != nil }, defaultNote: "not set")
        add("s3.prefix", s3.prefix ?? "taster/<namespace>/<app>", "TASTER_PREFIX")
        add("s3.addressing", s3.addressing.rawValue, "TASTER_S3_ADDRESSING")
        add("s3.access-key-id", s3.accessKeyID ?? "(not set)", S3Settings.accessKeyNames.first { sources[$0] != nil }, defaultNote: "not set")
        add(
            "s3.secret-access-key", s3.secretAccessKey == nil ? "(not set)" : mask, S3Settings.secretKeyNames.first { sources[$0] != nil },
            defaultNote: "not set")
        add("s3.session-token", s3.sessionToken == nil ? "(none)" : mask, "AWS_SESSION_TOKEN", defaultNote: "not set")
        let credentialVariable = [
            "AWS_ACCESS_KEY_ID", "S3_ACCESSKEY", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        ]
        .first { sources[$0] != nil }
        add("s3.credentials", s3.credentialSource?.description ?? "(none)", credentialVariable, defaultNote: "not set")
        add("s3.ca-bundle", s3.caBundle ?? "(system)", "AWS_CA_BUNDLE")
        add("s3.retry-budget", DurationParser.format(s3.retryBudget), "TASTER_S3_RETRY_BUDGET")
        if let base = s3.reportBaseURL {
            add("links", "under \(URLDisplay.show(base))", "TASTER_REPORT_BASE_URL")
        } else {
            add("links", "presigned, \(DurationParser.format(s3.linkExpiry))", "TASTER_LINK_EXPIRY")
        }

        switch kubernetes.access {
        case .inCluster(let host, let port):
            let hostPart = host.contains(":") ? "[\(host)]" : host
            add("kubernetes.access", "in-cluster https://\(hostPart):\(port)", "KUBERNETES_SERVICE_HOST")
        case .kubeconfig(let paths):
            add("kubernetes.access", "kubeconfig " + paths.joined(separator: ":"), "KUBECONFIG", defaultNote: "default")
        }
        add("kubernetes.context", kubernetes.context ?? "(current-context)", "TASTER_KUBE_CONTEXT")
        add("kubernetes.namespace", kubernetes.namespace ?? "(pod's or context's)", "TASTER_NAMESPACE")
        add(
            "kubernetes.workloads",
            kubernetes.workloads.isEmpty ? "(none: nothing is scaled)" : kubernetes.workloads.map(\.description).joined(separator: ","),
            "TASTER_WORKLOADS")
        add("kubernetes.ready-timeout", DurationParser.format(kubernetes.readyTimeout), "TASTER_READY_TIMEOUT")

        add("app", app ?? "(the namespace)", "TASTER_APP")
        add("run-id", runID ?? "(from Argo CD or the time)", "TASTER_RUN_ID")
        add("argocd.application", argoApplication ?? "(none)", "TASTER_ARGOCD_APP", defaultNote: "not set")
        add("argocd.namespace", argoNamespace, "TASTER_ARGOCD_NAMESPACE")
        add("notify.url", notification.map { URLDisplay.origin($0.url.revealed) } ?? "(none)", "TASTER_NOTIFY_URL", defaultNote: "not set")
        if let notification {
            add("notify.format", notification.format.rawValue, "TASTER_NOTIFY_FORMAT")
            add("notify.on", notification.on.rawValue, "TASTER_NOTIFY_ON")
        }
        add("metrics.pushgateway", pushgateway.map { URLDisplay.show($0.url) } ?? "(none)", "TASTER_PUSHGATEWAY_URL", defaultNote: "not set")
        if let pushgateway {
            let source = ["TASTER_PUSHGATEWAY_TOKEN", "TASTER_PUSHGATEWAY_USERNAME"].first { sources[$0] != nil } ?? "TASTER_PUSHGATEWAY_TOKEN"
            add("metrics.auth", pushgateway.authorizationShown, source, defaultNote: "not set")
        }
        add("deadline", DurationParser.format(deadline), "TASTER_DEADLINE")
        add("max-baseline-age", DurationParser.format(maxBaselineAge), "TASTER_MAX_BASELINE_AGE")
        add("evidence.limit", String(evidence.limit), "TASTER_EVIDENCE_LIMIT")
        add("evidence.max-documents", String(evidence.maxDocuments), "TASTER_EVIDENCE_MAX_DOCUMENTS")
        add("evidence.key", evidenceKeyShown, "TASTER_EVIDENCE_KEY", defaultNote: evidenceSecret == nil ? "not set" : "default")
        add("log-format", logFormat.rawValue, "TASTER_LOG_FORMAT")
        for (ignored, winner) in shadowed {
            rows.append(Row(setting: "ignored", value: "\(ignored) (\(winner) wins)", source: ignored))
        }
        return rows
    }

    /// The rows as an aligned table.
    package var table: String {
        TextTable(header: ["SETTING", "VALUE", "FROM"], rows: rows.map { [$0.setting, $0.value, $0.source] }).render()
    }
}
