import FoundationEssentials
import Logging
import Synchronization
import TasterSupport

/// Records core/v1 Events on objects (taster's hook Job: "BaselineTaken", "DataChanged"), so
/// `kubectl describe` and Argo CD show what taster did. Best effort: a failure is logged and
/// never reaches the caller; after a 403 (the Role lacks `create events`) one warning is logged
/// and no further Events are attempted.
package final class EventRecorder: Sendable {
    /// The longest message written: what the API keeps of an Event's.
    package static let messageLimit = 1024

    /// The object an Event is about.
    package struct InvolvedObject: Sendable, Equatable, Encodable {
        package var apiVersion: String
        package var kind: String
        package var name: String
        package var namespace: String
        package var uid: String?

        package init(apiVersion: String, kind: String, name: String, namespace: String, uid: String? = nil) {
            self.apiVersion = apiVersion
            self.kind = kind
            self.name = name
            self.namespace = namespace
            self.uid = uid
        }
    }

    package enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    package let client: KubernetesClient
    /// `source.component` and `reportingComponent`.
    package let component: String
    /// `source.host` and `reportingInstance`: the pod running taster.
    package let instance: String
    let logger: Logger
    private let forbidden = Atomic<Bool>(false)

    package init(client: KubernetesClient, component: String = "taster", instance: String = ProcessInfo.processInfo.hostName, logger: Logger) {
        self.client = client
        self.component = component
        self.instance = instance
        self.logger = logger
    }

    /// Creates an Event about `object`; returns whether it was created.
    @discardableResult
    package func record(_ type: EventType, reason: String, message: String, about object: InvolvedObject, deadline: Deadline) async -> Bool {
        guard !forbidden.load(ordering: .relaxed) else { return false }
        let now = Self.seconds(Date())
        let event = EventBody(
            metadata: .init(generateName: "\(object.name).", namespace: object.namespace),
            involvedObject: object, type: type.rawValue, reason: reason,
            message: String(SecretRedactor.shared.scrub(message).prefix(Self.messageLimit)),
            source: .init(component: component, host: instance), reportingComponent: component, reportingInstance: instance,
            firstTimestamp: now, lastTimestamp: now)
        do {
            let body = try JSONEncoder().encode(event)
            try await client.request(
                .createEvent, namespace: object.namespace, body: body, contentType: "application/json",
                retry: .kubernetesCreate, deadline: deadline)
            return true
        } catch let error as KubernetesError where error.kind == .forbidden {
            if !forbidden.exchange(true, ordering: .relaxed) {
                logger.warning("cannot record Kubernetes Events (taster goes on without them): \(error)")
            }
        } catch {
            logger.warning("could not record the Event \(reason) on \(object.kind.lowercased())/\(object.name): \(error)")
        }
        return false
    }

    /// `2026-11-21T10:00:00Z`: Event timestamps have whole seconds.
    static func seconds(_ date: Date) -> String {
        String(Timestamp.rfc3339(date).prefix(19)) + "Z"
    }
}

/// A core/v1 Event as taster creates it.
struct EventBody: Encodable {
    struct Metadata: Encodable {
        var generateName: String
        var namespace: String
    }

    struct Source: Encodable {
        var component: String
        var host: String
    }

    var apiVersion = "v1"
    var kind = "Event"
    var metadata: Metadata
    var involvedObject: EventRecorder.InvolvedObject
    var type: String
    var reason: String
    var message: String
    var source: Source
    var reportingComponent: String
    var reportingInstance: String
    var firstTimestamp: String
    var lastTimestamp: String
    var count = 1
}
