import ArgumentParser
import TasterSettings
import TasterSupport

// Flags that override settings, grouped so that each command takes only the ones it uses: the
// variable and default in each help come from `SettingVariable.all` (`taster help settings`).

/// `ArgumentHelp` for a flag that overrides `variable`.
func settingHelp(_ meaning: String, _ variable: String, valueName: String? = nil) -> ArgumentHelp {
    ArgumentHelp(SettingVariable.flagHelp(meaning, variable: variable), valueName: valueName)
}

/// Flags for what is measured in MongoDB.
struct MongoOptions: ParsableArguments {
    @Option(help: settingHelp("MongoDB database to measure", "TASTER_DATABASE"))
    var database: String?

    @Option(help: settingHelp("Comma-separated collections to count", "TASTER_COLLECTIONS"))
    var collections: String?

    @OptionGroup var checks: ChecksOptions

    @Option(
        name: .customLong("mongo-wait"), help: settingHelp("How long to wait for MongoDB to accept connections", "TASTER_MONGO_WAIT", valueName: "duration"))
    var mongoWait: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_DATABASE", with: database, flag: "--database")
        environment.override("TASTER_COLLECTIONS", with: collections, flag: "--collections")
        checks.apply(to: &environment)
        environment.override("TASTER_MONGO_WAIT", with: mongoWait, flag: "--mongo-wait")
    }
}

/// The checks file: what a snapshot measures and the rules a comparison applies.
struct ChecksOptions: ParsableArguments {
    @Option(help: settingHelp("YAML or JSON file with extra checks and their rules", "TASTER_CHECKS", valueName: "file"))
    var checks: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_CHECKS", with: checks, flag: "--checks")
    }
}

/// Flags for the report store: where reports are kept, and how S3 is reached.
struct S3Options: ParsableArguments {
    @Option(help: settingHelp("Bucket for reports", "TASTER_BUCKET"))
    var bucket: String?

    @Option(help: settingHelp("Key prefix for reports", "TASTER_PREFIX"))
    var prefix: String?

    @Option(help: settingHelp("Application name used in report keys and summaries", "TASTER_APP"))
    var app: String?

    @OptionGroup var connection: S3ConnectionOptions

    func apply(to environment: inout Environment) {
        environment.override("TASTER_BUCKET", with: bucket, flag: "--bucket")
        environment.override("TASTER_PREFIX", with: prefix, flag: "--prefix")
        environment.override("TASTER_APP", with: app, flag: "--app")
        connection.apply(to: &environment)
    }
}

/// How S3 is reached (credentials come from the environment only).
struct S3ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("s3-endpoint"), help: settingHelp("S3-compatible endpoint", "AWS_ENDPOINT_URL_S3", valueName: "url"))
    var endpoint: String?

    @Option(help: settingHelp("Region to sign for", "AWS_REGION"))
    var region: String?

    func apply(to environment: inout Environment) {
        environment.override("AWS_ENDPOINT_URL_S3", with: endpoint, flag: "--s3-endpoint")
        environment.override("AWS_REGION", with: region, flag: "--region")
    }
}

/// Flags for the Kubernetes side of the hooks: access, and the workloads to scale.
struct KubernetesOptions: ParsableArguments {
    @OptionGroup var access: KubernetesAccessOptions

    @Option(help: settingHelp("Workloads to scale while tasting, e.g. statefulset/mongo=1,deployment/pxbbq-web=1", "TASTER_WORKLOADS", valueName: "list"))
    var workloads: String?

    @Option(
        name: .customLong("ready-timeout"), help: settingHelp("How long to wait for the workloads to be ready", "TASTER_READY_TIMEOUT", valueName: "duration"))
    var readyTimeout: String?

    func apply(to environment: inout Environment) {
        access.apply(to: &environment)
        environment.override("TASTER_WORKLOADS", with: workloads, flag: "--workloads")
        environment.override("TASTER_READY_TIMEOUT", with: readyTimeout, flag: "--ready-timeout")
    }
}

/// Which cluster and namespace.
struct KubernetesAccessOptions: ParsableArguments {
    @Option(help: settingHelp("Namespace of the workloads", "TASTER_NAMESPACE"))
    var namespace: String?

    @Option(help: settingHelp("kubeconfig context to use instead of current-context", "TASTER_KUBE_CONTEXT"))
    var context: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_NAMESPACE", with: namespace, flag: "--namespace")
        environment.override("TASTER_KUBE_CONTEXT", with: context, flag: "--context")
    }
}

/// Flags every command that measures or compares has.
struct RunOptions: ParsableArguments {
    @Option(help: settingHelp("The whole run's time budget", "TASTER_DEADLINE", valueName: "duration"))
    var deadline: String?

    @Option(name: .customLong("log-format"), help: settingHelp("Log lines as text or json", "TASTER_LOG_FORMAT", valueName: "format"))
    var logFormat: String?

    func apply(to environment: inout Environment) {
        environment.override("TASTER_DEADLINE", with: deadline, flag: "--deadline")
        environment.override("TASTER_LOG_FORMAT", with: logFormat, flag: "--log-format")
    }
}

/// How results are printed on standard output.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}
