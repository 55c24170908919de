import Logging
import TasterCore
import TasterKubernetes
import TasterMetrics
import TasterMongo
import TasterNotify
import TasterPostgres
import TasterS3
import TasterSettings
import TasterSupport

/// The one place that turns validated settings into workflows: it makes the adapters (MongoDB or
/// PostgreSQL, S3, Kubernetes, the notification), resolves the namespace and report prefix once, and hands
/// each workflow its dependencies, none of them optional. Everything that can be wrong with the
/// settings is found here, before anything is touched (exit 2).
enum Wiring {
    /// A hook's workflow and the runner that reports on it.
    struct Hook<Workflow: Sendable>: Sendable {
        let workflow: Workflow
        let runner: HookRunner
    }

    static func preTaste(_ settings: Settings, logger: Logger) async throws -> Hook<PreTasteWorkflow> {
        let database = try databaseSource(settings, logger: logger)
        let base = try Base(settings, hook: .preTaste, logger: logger)
        let identity = await base.identity(explicit: nil, fallback: .timestamp)
        let workflow = PreTasteWorkflow(
            context: base.context, runID: identity.id ?? RunIdentity.timestampID(),
            workloads: base.workloads, database: database, store: base.store, maxBaselineAge: settings.maxBaselineAge)
        return Hook(workflow: workflow, runner: base.runner)
    }

    static func postTaste(
        _ settings: Settings, runID: String?, keepRunning: Bool, reportOnly: Bool,
        logger: Logger
    ) async throws -> Hook<PostTasteWorkflow> {
        let database = try databaseSource(settings, logger: logger)
        let base = try Base(settings, hook: .postTaste, logger: logger)
        let identity = await base.identity(explicit: runID, fallback: .baselinePointer)
        let options = PostTasteWorkflow.Options(
            runID: identity.id, maxBaselineAge: settings.maxBaselineAge,
            keepRunning: keepRunning, reportOnly: reportOnly)
        let workflow = PostTasteWorkflow(
            context: base.context, options: options, workloads: base.workloads,
            database: database, store: base.store)
        return Hook(workflow: workflow, runner: base.runner)
    }

    /// The SyncFail hook: Kubernetes and S3 only.
    static func restore(_ settings: Settings, runID: String?, logger: Logger) async throws -> Hook<RestoreWorkflow> {
        let base = try Base(settings, hook: .restore, logger: logger)
        let identity = await base.identity(explicit: runID, fallback: .baselinePointer)
        let workflow = RestoreWorkflow(context: base.context, runID: identity.id, workloads: base.workloads, store: base.store)
        return Hook(workflow: workflow, runner: base.runner)
    }

    /// `taster compare`: reads files, or objects of a bucket when given `s3://` URIs.
    static func compare(_ settings: Settings, logger: Logger) -> CompareWorkflow {
        let deadline = Deadline(budget: settings.deadline)
        let bucket = S3ReportReader(settings: settings.s3, deadline: deadline, logger: logger)
        return CompareWorkflow(
            reader: ReportLocationReader(bucket: bucket), checksFile: settings.mongo.checksFile,
            dialects: { language in language == .sql ? PostgresCheckDialect() as any CheckDialect : MongoCheckDialect() }, logger: logger,
            deadline: deadline)
    }

    /// `taster check`: a probe per dependency, with the namespace and prefix the hooks resolve.
    static func check(_ settings: Settings, logger: Logger) -> CheckWorkflow {
        let deadline = Deadline(budget: settings.deadline)
        let access: KubernetesProbe.Access
        var client: KubernetesClient?
        do {
            client = try kubernetes(settings, required: !settings.kubernetes.workloads.isEmpty, logger: logger)
            access = settings.kubernetes.workloads.isEmpty ? .notNeeded : client.map { .connected($0) } ?? .notNeeded
        } catch {
            access = .failed(error)
        }
        let location = Location(settings, kubernetes: client)
        var probes: [any DependencyProbe] = [
            KubernetesProbe(
                access: access, workloads: settings.kubernetes.workloads, namespace: location.namespace,
                deadline: deadline, logger: logger)
        ]
        do {
            switch try settings.requireDatabase() {
            case .mongo(let mongo): probes.append(MongoProbe(settings: mongo, deadline: deadline, logger: logger))
            case .postgres(let postgres): probes.append(PostgresProbe(settings: postgres, deadline: deadline, logger: logger))
            }
        } catch {
            probes.append(UnconfiguredProbe(dependency: settings.postgres == nil ? "MongoDB" : "PostgreSQL", error: error))
        }
        do {
            let client = try S3Client(settings: try settings.requireS3(), deadline: deadline, logger: logger)
            probes.append(S3Probe(client: client, layout: location.layout))
        } catch {
            probes.append(UnconfiguredProbe(dependency: "S3", error: error))
        }
        return CheckWorkflow(probes: probes)
    }

    /// `taster snapshot`: the database alone.
    static func snapshot(_ settings: Settings, logger: Logger) throws -> any DatabaseSnapshotting {
        try databaseSource(settings, logger: logger)
    }

    /// `taster await-job`: only the calls watching a Job needs.
    static func awaitJob(_ settings: Settings, logger: Logger, output: @escaping @Sendable (String) -> Void) throws -> JobWatcher {
        try JobWatcher.connect(settings.kubernetes, logger: logger, output: output)
    }

    /// A runner that only pushes metrics, for a hook that fails while it is being wired (a bad
    /// checks file, an unusable kubeconfig): nil without `TASTER_PUSHGATEWAY_URL`.
    static func setupFailures(_ settings: Settings, hook: HookRunner.Hook, logger: Logger) -> HookRunner? {
        guard let pushgateway = settings.pushgateway else { return nil }
        let location = Location(settings, kubernetes: nil)
        return HookRunner(
            hook: hook, app: location.app, namespace: location.namespace, announcer: Announcers([]),
            metrics: PushgatewayPublisher(settings: pushgateway, logger: logger))
    }

    // MARK: - The parts

    /// What every hook shares: the run's context, the report store, the workloads, the Argo CD
    /// sync source and who to tell.
    private struct Base {
        let context: TasteContext
        let store: S3ReportStore
        let workloads: RunWorkloads
        let syncSource: (any SyncOperationSource)?
        let runner: HookRunner
        let settings: Settings

        init(_ settings: Settings, hook: HookRunner.Hook, logger: Logger) throws {
            let deadline = Deadline(budget: settings.deadline)
            let s3 = try S3Client(settings: try settings.requireS3(), deadline: deadline, logger: logger)
            // restore always scales (what the baseline recorded); the taste hooks when TASTER_WORKLOADS is set.
            let kubernetes = try Wiring.kubernetes(
                settings, required: hook == .restore || !settings.kubernetes.workloads.isEmpty,
                logger: logger)
            let location = Location(settings, kubernetes: kubernetes)
            context = TasteContext(
                deadline: deadline, logger: logger, namespace: location.namespace, app: location.app,
                layout: location.layout, readyTimeout: settings.kubernetes.readyTimeout,
                databaseWait: settings.mongo.wait,
                settingsSummary: SettingsSummary(settings: settings, prefix: location.layout.prefix),
                evidence: hook == .restore ? settings.evidence : settings.evidenceWithSecret())
            store = S3ReportStore(client: s3, settings: settings.s3)
            workloads = RunWorkloads(
                targets: settings.kubernetes.workloads,
                control: kubernetes.map { KubernetesWorkloadControl(client: $0, namespace: location.namespace, logger: logger) },
                logger: logger)
            syncSource = kubernetes.map { ArgoSyncOperationSource(client: $0, deadline: deadline) }
            var announcers: [any Announcer] = []
            if let kubernetes { announcers.append(KubernetesEventAnnouncer(client: kubernetes, logger: logger)) }
            if let notification = settings.notification {
                announcers.append(WebhookAnnouncer(settings: notification, app: location.app, logger: logger))
            }
            let metrics: any MetricsPublisher = settings.pushgateway.map { PushgatewayPublisher(settings: $0, logger: logger) } ?? NoMetrics()
            runner = HookRunner(
                hook: hook, app: location.app, namespace: location.namespace, announcer: Announcers(announcers), metrics: metrics)
            self.settings = settings
        }

        /// The run id: `explicit` (`--run-id`), else `TASTER_RUN_ID`, else from the Argo CD sync,
        /// else `fallback`.
        func identity(explicit: String?, fallback: RunIdentity.Origin) async -> RunIdentity {
            let application = settings.argoApplication.map { RunIdentity.ArgoApplication(name: $0, namespace: settings.argoNamespace) }
            return await RunIdentity.resolve(
                explicit: explicit ?? settings.runID, application: application, source: syncSource,
                fallback: fallback, logger: context.logger)
        }
    }

    /// The namespace and the report prefix, resolved once for every command: `TASTER_NAMESPACE`,
    /// else the pod's, else the kubeconfig context's, else `default`; `TASTER_PREFIX`, else
    /// `taster/<namespace>/<app>`. `taster check` probes exactly the prefix pre-taste writes.
    private struct Location {
        let namespace: String
        let app: String
        let layout: ReportLayout

        init(_ settings: Settings, kubernetes: KubernetesClient?) {
            namespace =
                kubernetes?.namespace(for: settings.kubernetes)
                ?? NamespaceResolver.resolve(configured: settings.kubernetes.namespace, contextNamespace: nil)
            app = settings.app ?? namespace
            layout = ReportLayout(configured: settings.s3.prefix, namespace: namespace, app: app)
        }
    }

    /// The Kubernetes API: a client when `required` (a kubeconfig that cannot be used is exit 2),
    /// else one when it helps — for the namespace of the context and the Argo CD run id — and
    /// can be had.
    private static func kubernetes(_ settings: Settings, required: Bool, logger: Logger) throws -> KubernetesClient? {
        var permissions = KubernetesPermissions.hooks + KubernetesPermissions.everyAuthenticatedUser
        if settings.argoApplication != nil { permissions += KubernetesPermissions.argoApplication }
        if required {
            return try KubernetesClient.connect(settings.kubernetes, permissions: permissions, logger: logger)
        }
        guard settings.argoApplication != nil || settings.kubernetes.namespace == nil else { return nil }
        do {
            return try KubernetesClient.connect(settings.kubernetes, permissions: permissions, logger: logger)
        } catch {
            logger.debug("no Kubernetes access (not needed: nothing to scale): \(error)")
            return nil
        }
    }

    /// The database the settings choose, MongoDB or PostgreSQL; the checks file is read here, so a
    /// bad one exits 2 with nothing touched. MongoDB: the process ends right after the run, so the
    /// pool is left to the kernel (`ProcessExit`).
    private static func databaseSource(_ settings: Settings, logger: Logger) throws -> any DatabaseSnapshotting {
        switch try settings.requireDatabase() {
        case .mongo(let mongo): try MongoSnapshotSource(settings: mongo, logger: logger, closesPool: false)
        case .postgres(let postgres): try PostgresSnapshotSource(settings: postgres, logger: logger)
        }
    }
}
