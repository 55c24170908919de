/// The parts of Kubernetes API objects taster reads. Decoding ignores everything else, so newer
/// API servers with more fields work unchanged.
public struct ObjectMeta: Sendable, Decodable, Equatable {
    public struct OwnerReference: Sendable, Decodable, Equatable {
        public var apiVersion: String
        public var kind: String
        public var name: String
        public var uid: String?
        public var controller: Bool?
    }

    public var name: String
    public var namespace: String?
    public var uid: String?
    public var ownerReferences: [OwnerReference]?
    public var resourceVersion: String?
    public var generation: Int64?
    public var labels: [String: String]?
    public var annotations: [String: String]?
    public var creationTimestamp: String?
}

public struct LabelSelector: Sendable, Decodable, Equatable {
    public struct Requirement: Sendable, Decodable, Equatable {
        public var key: String
        public var `operator`: String
        public var values: [String]?
    }

    public var matchLabels: [String: String]?
    public var matchExpressions: [Requirement]?

    /// The `labelSelector` query parameter: `app=web,tier in (a,b),!legacy`.
    public var query: String {
        var terms = (matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        for requirement in matchExpressions ?? [] {
            let values = (requirement.values ?? []).joined(separator: ",")
            switch requirement.operator {
            case "In": terms.append("\(requirement.key) in (\(values))")
            case "NotIn": terms.append("\(requirement.key) notin (\(values))")
            case "Exists": terms.append(requirement.key)
            case "DoesNotExist": terms.append("!\(requirement.key)")
            default: continue
            }
        }
        return terms.joined(separator: ",")
    }
}

public struct Condition: Sendable, Decodable, Equatable {
    public var type: String
    public var status: String
    public var reason: String?
    public var message: String?
}

/// A Deployment or StatefulSet.
public struct WorkloadObject: Sendable, Decodable, Equatable {
    public struct Spec: Sendable, Decodable, Equatable {
        public struct UpdateStrategy: Sendable, Decodable, Equatable {
            public struct RollingUpdate: Sendable, Decodable, Equatable {
                public var partition: Int?
            }

            public var type: String?
            public var rollingUpdate: RollingUpdate?
        }

        public var replicas: Int?
        public var selector: LabelSelector?
        public var updateStrategy: UpdateStrategy?
    }

    public struct Status: Sendable, Decodable, Equatable {
        public var observedGeneration: Int64?
        public var replicas: Int?
        public var updatedReplicas: Int?
        public var readyReplicas: Int?
        public var availableReplicas: Int?
        public var currentReplicas: Int?
        public var currentRevision: String?
        public var updateRevision: String?
        public var conditions: [Condition]?
    }

    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?
}

/// `autoscaling/v1` Scale.
public struct ScaleObject: Sendable, Decodable, Equatable {
    public struct Spec: Sendable, Decodable, Equatable { public var replicas: Int? }
    public struct Status: Sendable, Decodable, Equatable {
        public var replicas: Int?
        public var selector: String?
    }

    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?
}

public struct PodObject: Sendable, Decodable, Equatable {
    public struct ContainerState: Sendable, Decodable, Equatable {
        public struct Waiting: Sendable, Decodable, Equatable {
            public var reason: String?
            public var message: String?
        }

        public struct Terminated: Sendable, Decodable, Equatable {
            public var reason: String?
            public var message: String?
            public var exitCode: Int?
        }

        public var waiting: Waiting?
        public var terminated: Terminated?
        public var running: [String: String]?

        enum CodingKeys: String, CodingKey { case waiting, terminated, running }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            waiting = try container.decodeIfPresent(Waiting.self, forKey: .waiting)
            terminated = try container.decodeIfPresent(Terminated.self, forKey: .terminated)
            running = container.contains(.running) ? [:] : nil
        }
    }

    public struct ContainerStatus: Sendable, Decodable, Equatable {
        public var name: String
        public var ready: Bool?
        public var restartCount: Int?
        public var state: ContainerState?
        public var lastState: ContainerState?
    }

    public struct Status: Sendable, Decodable, Equatable {
        public var phase: String?
        public var reason: String?
        public var message: String?
        public var conditions: [Condition]?
        public var containerStatuses: [ContainerStatus]?
        public var initContainerStatuses: [ContainerStatus]?
    }

    public struct Spec: Sendable, Decodable, Equatable {
        public struct Container: Sendable, Decodable, Equatable { public var name: String }
        public var containers: [Container]?
        public var nodeName: String?
    }

    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?
}

/// `batch/v1` Job.
public struct JobObject: Sendable, Decodable, Equatable {
    public struct Spec: Sendable, Decodable, Equatable {
        public var selector: LabelSelector?
        public var completions: Int?
        public var backoffLimit: Int?
    }

    public struct Status: Sendable, Decodable, Equatable {
        public var conditions: [Condition]?
        public var active: Int?
        public var ready: Int?
        public var succeeded: Int?
        public var failed: Int?
        public var startTime: String?
        public var completionTime: String?
    }

    public var metadata: ObjectMeta
    public var spec: Spec?
    public var status: Status?

    /// The `Complete` or `Failed` condition once it is true; nil while the Job runs.
    public var finished: Condition? {
        status?.conditions?.first { ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True" }
    }
}

public struct ObjectList<Item: Decodable & Sendable>: Sendable, Decodable {
    public struct ListMeta: Sendable, Decodable { public var resourceVersion: String? }
    public var metadata: ListMeta?
    public var items: [Item]
}

/// A watch event (`{"type": "MODIFIED", "object": {...}}`).
public struct WatchEvent<Object: Decodable & Sendable>: Sendable, Decodable {
    public var type: String
    public var object: Object
}

/// A `Status` object, as the API returns for errors.
public struct StatusObject: Sendable, Decodable, Equatable {
    public struct Details: Sendable, Decodable, Equatable {
        public var name: String?
        public var group: String?
        public var kind: String?
    }

    public var kind: String?
    public var status: String?
    public var message: String?
    public var reason: String?
    public var code: Int?
    public var details: Details?
}
