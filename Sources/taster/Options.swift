import ArgumentParser
import TasterCore

/// Flags for MongoDB settings; each overrides the variable named in its help.
struct MongoOptions: ParsableArguments {
    @Option(help: "MongoDB database to measure (TASTER_DATABASE, default pxbbq).")
    var database: String?

    @Option(help: "Comma-separated collections to count (TASTER_COLLECTIONS, default orders,registrations).")
    var collections: String?

    @Option(help: ArgumentHelp("YAML or JSON file with extra checks (TASTER_CHECKS).", valueName: "file"))
    var checks: String?

    @Option(name: .customLong("mongo-wait"), help: ArgumentHelp("How long to wait for MongoDB to accept connections (TASTER_MONGO_WAIT, default 2m).", valueName: "duration"))
    var mongoWait: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_DATABASE", with: database, flag: "--database")
        environment.override("TASTER_COLLECTIONS", with: collections, flag: "--collections")
        environment.override("TASTER_CHECKS", with: checks, flag: "--checks")
        environment.override("TASTER_MONGO_WAIT", with: mongoWait, flag: "--mongo-wait")
    }
}

/// Flags for the report store.
struct S3Options: ParsableArguments {
    @Option(help: "Bucket for reports (TASTER_BUCKET, or S3_RESULTS_BUCKET / S3_BUCKET).")
    var bucket: String?

    @Option(help: "Key prefix for reports (TASTER_PREFIX, default taster/<namespace>/<app>).")
    var prefix: String?

    @Option(name: .customLong("s3-endpoint"), help: ArgumentHelp("S3-compatible endpoint (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL or S3_URL).", valueName: "url"))
    var endpoint: String?

    @Option(help: "Region to sign for (AWS_REGION / AWS_DEFAULT_REGION, default us-east-1).")
    var region: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_BUCKET", with: bucket, flag: "--bucket")
        environment.override("TASTER_PREFIX", with: prefix, flag: "--prefix")
        environment.override("AWS_ENDPOINT_URL_S3", with: endpoint, flag: "--s3-endpoint")
        environment.override("AWS_REGION", with: region, flag: "--region")
    }
}

/// Flags for the Kubernetes side.
struct KubernetesOptions: ParsableArguments {
    @Option(help: "Namespace of the workloads (TASTER_NAMESPACE, default the pod's or the context's).")
    var namespace: String?

    @Option(help: "kubeconfig context to use instead of current-context (TASTER_KUBE_CONTEXT).")
    var context: String?

    @Option(help: ArgumentHelp("Workloads to scale while tasting, e.g. statefulset/mongo=1,deployment/pxbbq-web=1 (TASTER_WORKLOADS).", valueName: "list"))
    var workloads: String?

    @Option(name: .customLong("ready-timeout"), help: ArgumentHelp("How long to wait for the workloads to be ready (TASTER_READY_TIMEOUT, default 5m).", valueName: "duration"))
    var readyTimeout: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_NAMESPACE", with: namespace, flag: "--namespace")
        environment.override("TASTER_KUBE_CONTEXT", with: context, flag: "--context")
        environment.override("TASTER_WORKLOADS", with: workloads, flag: "--workloads")
        environment.override("TASTER_READY_TIMEOUT", with: readyTimeout, flag: "--ready-timeout")
    }
}

/// Flags every run has.
struct RunOptions: ParsableArguments {
    @Option(help: "Application name used in report keys (TASTER_APP, default the namespace).")
    var app: String?

    @Option(help: ArgumentHelp("The whole run's time budget (TASTER_DEADLINE, default 15m).", valueName: "duration"))
    var deadline: String?

    @Option(name: .customLong("log-format"), help: ArgumentHelp("Log lines as text or json (TASTER_LOG_FORMAT, default text).", valueName: "format"))
    var logFormat: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_APP", with: app, flag: "--app")
        environment.override("TASTER_DEADLINE", with: deadline, flag: "--deadline")
        environment.override("TASTER_LOG_FORMAT", with: logFormat, flag: "--log-format")
    }
}

/// How results are printed on standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
