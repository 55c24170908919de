import Logging

/// `taster check`: for each dependency, OK or what is wrong and what to do.
public struct CheckTool: Sendable {
    public let settings: Settings
    public let deadline: Deadline
    public let logger: Logger

    public init(settings: Settings, deadline: Deadline, logger: Logger) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
    }

    public func run() async -> [CheckFinding] {
        var findings: [CheckFinding] = []
        // Kubernetes first: the namespace (and with it the report prefix) comes from there.
        var namespace = NamespaceResolver.resolve(settings: settings, contextNamespace: nil)
        if settings.kubernetes.workloads.isEmpty {
            findings.append(.init("Kubernetes", "workloads", .ok, "none configured (TASTER_WORKLOADS): nothing is scaled, the API is not needed"))
        } else {
            do {
                let client = try KubernetesClient.connect(settings.kubernetes, permissions: KubernetesPermissions.hooks + KubernetesPermissions.everyAuthenticatedUser, logger: logger)
                namespace = client.namespace(for: settings)
                findings.append(.init("Kubernetes", "connect", .ok, "\(URLDisplay.show(client.connection.server)) as \(client.connection.userName.isEmpty ? "(no user)" : client.connection.userName), namespace \(namespace)"))
                findings += await KubernetesProbe(client: client, settings: settings, namespace: namespace, deadline: deadline, logger: logger).run()
            } catch {
                findings.append(.init("Kubernetes", "connect", .fail, "\(error)"))
            }
        }
        do {
            findings += await MongoProbe(settings: try settings.requireMongo(), deadline: deadline, logger: logger).run()
        } catch {
            findings.append(.init("MongoDB", "settings", .fail, "\(error)"))
        }
        do {
            let client = try S3Client(settings: try settings.requireS3(), deadline: deadline, logger: logger)
            let layout = ReportLayout(configured: settings.s3.prefix, namespace: namespace, app: settings.app ?? namespace)
            findings += await S3Probe(client: client, layout: layout).run()
        } catch {
            findings.append(.init("S3", "settings", .fail, "\(error)"))
        }
        return findings
    }
}
