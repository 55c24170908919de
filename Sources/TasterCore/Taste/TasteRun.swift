import FoundationEssentials
import Logging

/// Everything a hook or tool needs for one run, built from validated settings before anything is
/// touched: a bad checks file, kubeconfig or S3 setting exits 2 here, with nothing scaled or
/// written.
public struct TasteRun: Sendable {
    public let context: TasteContext
    public let database: MongoSnapshotSource?
    public let store: S3ReportStore
    /// The Kubernetes API, when this run needs it or can reach it.
    public let kubernetes: KubernetesClient?
    public let workloads: (any WorkloadControl)?
    public let syncSource: (any SyncOperationSource)?

    public struct Needs: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let database = Needs(rawValue: 1)
        /// Scaling: required when `TASTER_WORKLOADS` is set, and always for `restore`.
        public static let kubernetes = Needs(rawValue: 2)
    }

    public static func prepare(settings: Settings, needs: Needs, deadline: Deadline, logger: Logger,
                               environment: Environment = .process) throws -> TasteRun {
        // The process ends right after the run: the pool is left to the kernel (ProcessExit).
        let database = needs.contains(.database)
            ? try MongoSnapshotSource(settings: try settings.requireMongo(), logger: logger, closesPool: false) : nil
        let s3 = try S3Client(settings: try settings.requireS3(), deadline: deadline, logger: logger)

        var permissions = KubernetesPermissions.hooks + KubernetesPermissions.everyAuthenticatedUser
        if settings.argoApplication != nil { permissions += KubernetesPermissions.argoApplication }
        var kubernetes: KubernetesClient?
        if needs.contains(.kubernetes) || !settings.kubernetes.workloads.isEmpty {
            kubernetes = try KubernetesClient.connect(settings.kubernetes, permissions: permissions, logger: logger)
        } else if settings.argoApplication != nil || settings.kubernetes.namespace == nil {
            // Not needed for scaling, but useful for the namespace and the Argo CD run id.
            do {
                kubernetes = try KubernetesClient.connect(settings.kubernetes, permissions: permissions, logger: logger)
            } catch {
                logger.debug("no Kubernetes access (not needed: nothing to scale): \(error)")
            }
        }
        let namespace = kubernetes?.namespace(for: settings) ?? NamespaceResolver.resolve(settings: settings, contextNamespace: nil)
        let context = TasteContext(settings: settings, deadline: deadline, logger: logger, namespace: namespace, environment: environment)
        return TasteRun(context: context, database: database, store: S3ReportStore(client: s3), kubernetes: kubernetes,
                        workloads: kubernetes.map { KubernetesWorkloadControl(client: $0, namespace: namespace, logger: logger) },
                        syncSource: kubernetes.map { ArgoSyncOperationSource(client: $0, deadline: deadline) })
    }

    /// The run id: `--run-id`/`TASTER_RUN_ID`, else from the Argo CD sync, else `fallback`.
    public func identity(explicit: String?, fallback: RunIdentity.Origin) async -> RunIdentity {
        await RunIdentity.resolve(settings: context.settings, explicit: explicit, source: syncSource, fallback: fallback,
                                  logger: context.logger)
    }
}
