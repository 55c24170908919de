/// The parts of Kubernetes API objects taster reads. Decoding ignores everything else, so newer
/// API servers with more fields work unchanged.
package struct ObjectMeta: Sendable, Decodable, Equatable {
    package struct OwnerReference: Sendable, Decodable, Equatable {
        package var apiVersion: String
        package var kind: String
        package var name: String
        package var uid: String?
        package var controller: Bool?
    }

    package var name: String
    package var namespace: String?
    package var uid: String?
    package var ownerReferences: [OwnerReference]?
    package var resourceVersion: String?
    package var generation: Int64?
}

package struct LabelSelector: Sendable, Decodable, Equatable {
    package struct Requirement: Sendable, Decodable, Equatable {
        package var key: String
        package var `operator`: String
        package var values: [String]?
    }

    package var matchLabels: [String: String]?
    package var matchExpressions: [Requirement]?

    /// The `labelSelector` query parameter: `app=web,tier in (a,b),!legacy`.
    package var query: String {
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

package struct Condition: Sendable, Decodable, Equatable {
    package var type: String
    package var status: String
    package var reason: String?
    package var message: String?
}

/// A Deployment or StatefulSet.
package struct WorkloadObject: Sendable, Decodable, Equatable {
    package struct Spec: Sendable, Decodable, Equatable {
        package struct UpdateStrategy: Sendable, Decodable, Equatable {
            package struct RollingUpdate: Sendable, Decodable, Equatable {
                package var partition: Int?
            }

            package var type: String?
            package var rollingUpdate: RollingUpdate?
        }

        package var replicas: Int?
        package var selector: LabelSelector?
        package var updateStrategy: UpdateStrategy?
    }

    package struct Status: Sendable, Decodable, Equatable {
        package var observedGeneration: Int64?
        package var replicas: Int?
        package var updatedReplicas: Int?
        package var readyReplicas: Int?
        package var availableReplicas: Int?
        package var currentReplicas: Int?
        package var currentRevision: String?
        package var updateRevision: String?
        package var conditions: [Condition]?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

/// `autoscaling/v1` Scale.
package struct ScaleObject: Sendable, Decodable, Equatable {
    package struct Spec: Sendable, Decodable, Equatable { package var replicas: Int? }
    package struct Status: Sendable, Decodable, Equatable {
        package var replicas: Int?
        package var selector: String?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

package struct PodObject: Sendable, Decodable, Equatable {
    package struct ContainerState: Sendable, Decodable, Equatable {
        package struct Waiting: Sendable, Decodable, Equatable {
            package var reason: String?
            package var message: String?
        }

        package struct Terminated: Sendable, Decodable, Equatable {
            package var reason: String?
            package var message: String?
            package var exitCode: Int?
        }

        package var waiting: Waiting?
        package var terminated: Terminated?
        package var running: [String: String]?

        enum CodingKeys: String, CodingKey { case waiting, terminated, running }

        package init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            waiting = try container.decodeIfPresent(Waiting.self, forKey: .waiting)
            terminated = try container.decodeIfPresent(Terminated.self, forKey: .terminated)
            running = container.contains(.running) ? [:] : nil
        }
    }

    package struct ContainerStatus: Sendable, Decodable, Equatable {
        package var name: String
        package var ready: Bool?
        package var restartCount: Int?
        package var state: ContainerState?
        package var lastState: ContainerState?
    }

    package struct Status: Sendable, Decodable, Equatable {
        package var phase: String?
        package var reason: String?
        package var message: String?
        package var conditions: [Condition]?
        package var containerStatuses: [ContainerStatus]?
        package var initContainerStatuses: [ContainerStatus]?
    }

    package struct Spec: Sendable, Decodable, Equatable {
        package struct Container: Sendable, Decodable, Equatable { package var name: String }
        package var containers: [Container]?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?
}

/// `batch/v1` Job.
package struct JobObject: Sendable, Decodable, Equatable {
    package struct Spec: Sendable, Decodable, Equatable {
        package var selector: LabelSelector?
    }

    package struct Status: Sendable, Decodable, Equatable {
        package var conditions: [Condition]?
        package var active: Int?
        package var ready: Int?
        package var succeeded: Int?
        package var failed: Int?
        package var completionTime: String?
    }

    package var metadata: ObjectMeta
    package var spec: Spec?
    package var status: Status?

    /// The `Complete` or `Failed` condition once it is true; nil while the Job runs.
    package var finished: Condition? {
        status?.conditions?.first { ($0.type == "Complete" || $0.type == "Failed") && $0.status == "True" }
    }
}

package struct ObjectList<Item: Decodable & Sendable>: Sendable, Decodable {
    package struct ListMeta: Sendable, Decodable { package var resourceVersion: String? }
    package var metadata: ListMeta?
    package var items: [Item]
}

/// A watch event (`{"type": "MODIFIED", "object": {...}}`).
package struct WatchEvent<Object: Decodable & Sendable>: Sendable, Decodable {
    package var type: String
    package var object: Object
}

/// A `Status` object, as the API returns for errors.
package struct StatusObject: Sendable, Decodable, Equatable {
    package var kind: String?
    package var status: String?
    package var message: String?
    package var reason: String?
    package var code: Int?
}
