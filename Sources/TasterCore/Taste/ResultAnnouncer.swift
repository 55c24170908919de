import FoundationEssentials
import Logging

/// Tells people where they look: a Kubernetes Event on the hook's own Job (`TastePassed` /
/// `TasteFailed`, shown by `kubectl describe job` and Argo CD) and the optional notification.
/// Both are best effort with budgets of their own: they never change the exit code and never
/// hold up the verdict, which is already stored when they run.
public struct ResultAnnouncer: Sendable {
    public let settings: Settings
    public let kubernetes: KubernetesClient?
    public let logger: Logger
    public let environment: Environment

    public init(settings: Settings, kubernetes: KubernetesClient?, logger: Logger, environment: Environment = .process) {
        self.settings = settings
        self.kubernetes = kubernetes
        self.logger = logger
        self.environment = environment
    }

    static let budget: Duration = .seconds(15)

    public enum Outcome: Sendable {
        case verdict(Verdict, reportURIs: [String: String])
        case error(summary: String, runID: String?)

        var passed: Bool {
            if case .verdict(let verdict, _) = self { return verdict.result == .pass || verdict.reportOnly }
            return false
        }

        var summary: String {
            switch self {
            case .verdict(let verdict, _): verdict.summary
            case .error(let summary, _): summary
            }
        }
    }

    public func announce(_ outcome: Outcome, app: String) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await recordEvent(outcome) }
            group.addTask { await notify(outcome, app: app) }
        }
    }

    /// The Event on the Job that runs this pod (`POD_NAME`/`POD_NAMESPACE` from the downward API).
    func recordEvent(_ outcome: Outcome) async {
        guard let kubernetes, let pod = environment["POD_NAME"], let namespace = environment["POD_NAMESPACE"] else { return }
        let deadline = Deadline(budget: Self.budget)
        let job: ObjectMeta.OwnerReference
        do {
            let found = try await kubernetes.get(PodObject.self, .getPod, namespace: namespace, name: pod, deadline: deadline)
            guard let owner = found.metadata.ownerReferences?.first(where: { $0.kind == "Job" }) else {
                logger.debug("pod \(namespace)/\(pod) belongs to no Job: no Event")
                return
            }
            job = owner
        } catch {
            logger.warning("cannot find the Job of pod \(namespace)/\(pod) for its Event: \(error)")
            return
        }
        let recorder = EventRecorder(client: kubernetes, logger: logger)
        let object = EventRecorder.InvolvedObject(apiVersion: job.apiVersion, kind: job.kind, name: job.name, namespace: namespace, uid: job.uid)
        await recorder.record(outcome.passed ? .normal : .warning, reason: outcome.passed ? "TastePassed" : "TasteFailed",
                              message: outcome.summary, about: object, deadline: deadline)
    }

    func notify(_ outcome: Outcome, app: String) async {
        guard let notification = settings.notification, !outcome.passed || notification.on == .always else { return }
        let shown = URLDisplay.origin(notification.url.revealed)
        let body: Data
        do {
            switch outcome {
            case .verdict(let verdict, let uris): body = try NotificationPayload.body(for: verdict, format: notification.format, reportURIs: uris)
            case .error(let summary, let runID): body = try NotificationPayload.body(forError: summary, app: app, runID: runID, format: notification.format)
            }
        } catch {
            logger.warning("the notification could not be built: \(error)")
            return
        }
        let http = HTTPClient(configuration: HTTPClientConfiguration(serviceName: "notification", connectTimeout: .seconds(5),
                                                                     requestTimeout: .seconds(10), maxResponseBytes: 64 * 1024),
                              logger: logger)
        let retry = RetryPolicy(maxAttempts: 3, backoff: Backoff(base: .milliseconds(300), cap: .seconds(2)),
                                retryableStatuses: [429, 500, 502, 503, 504], honoursRetryAfter: true)
        do {
            var request = HTTPRequest(method: .post, url: notification.url.revealed, headers: ["Content-Type": "application/json"], body: body)
            request.urlIsSecret = true
            let response = try await http.execute(request, retry: retry, deadline: Deadline(budget: Self.budget))
            if (200..<300).contains(response.status) {
                logger.info("notification sent to \(shown)")
            } else {
                logger.warning("the notification receiver \(shown) answered HTTP \(response.status); the verdict is unaffected")
            }
        } catch let error as HTTPError {
            // Built from the masked URL: the receiver's URL may carry a token in its path.
            logger.warning("could not send the notification to \(shown) (\(error.kind)); the verdict is unaffected")
        } catch {
            logger.warning("could not send the notification to \(shown); the verdict is unaffected")
        }
    }
}
