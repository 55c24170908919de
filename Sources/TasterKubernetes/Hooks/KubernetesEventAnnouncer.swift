import FoundationEssentials
import Logging
import TasterCore
import TasterSupport

/// Records the outcome as a Kubernetes Event on the hook's own Job (`TastePassed` /
/// `TasteFailed`), shown by `kubectl describe job` and Argo CD. The pod is found through
/// `POD_NAME`/`POD_NAMESPACE` from the downward API; without them there is no Event. Best
/// effort, with a budget of its own.
package struct KubernetesEventAnnouncer: Announcer {
    package let client: KubernetesClient
    package let logger: Logger
    package let environment: Environment

    package init(client: KubernetesClient, logger: Logger, environment: Environment = .process) {
        self.client = client
        self.logger = logger
        self.environment = environment
    }

    static let budget: Duration = .seconds(15)

    package func announce(_ announcement: Announcement) async {
        guard let pod = environment["POD_NAME"], let namespace = environment["POD_NAMESPACE"] else { return }
        let deadline = Deadline(budget: Self.budget)
        let job: ObjectMeta.OwnerReference
        do {
            let found = try await client.get(PodObject.self, .getPod, namespace: namespace, name: pod, deadline: deadline)
            guard let owner = found.metadata.ownerReferences?.first(where: { $0.kind == "Job" }) else {
                logger.debug("pod \(namespace)/\(pod) belongs to no Job: no Event")
                return
            }
            job = owner
        } catch {
            logger.warning("cannot find the Job of pod \(namespace)/\(pod) for its Event: \(error)")
            return
        }
        let recorder = EventRecorder(client: client, logger: logger)
        let object = EventRecorder.InvolvedObject(apiVersion: job.apiVersion, kind: job.kind, name: job.name, namespace: namespace, uid: job.uid)
        await recorder.record(
            announcement.passed ? .normal : .warning, reason: announcement.passed ? "TastePassed" : "TasteFailed",
            message: announcement.summary(limit: EventRecorder.messageLimit), about: object, deadline: deadline)
    }
}
