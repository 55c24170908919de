import TasterSupport

/// The kinds of workload taster scales.
package enum WorkloadKind: String, Sendable, CaseIterable, Codable {
    case deployment
    case statefulset

    /// The resource name in API paths (`deployments`, `statefulsets`).
    package var resource: String { rawValue + "s" }

    /// Accepts kubectl's spellings: `deployment`, `deployments`, `deploy`, `statefulset`, `sts`...
    package init?(spelling: String) {
        switch spelling.lowercased() {
        case "deployment", "deployments", "deploy", "deployment.apps", "deployments.apps": self = .deployment
        case "statefulset", "statefulsets", "sts", "statefulset.apps", "statefulsets.apps": self = .statefulset
        default: return nil
        }
    }
}

/// One entry of `TASTER_WORKLOADS`: a workload and the replicas to scale it to while tasting.
package struct WorkloadTarget: Sendable, Equatable, Hashable, CustomStringConvertible {
    package var kind: WorkloadKind
    package var name: String
    package var replicas: Int

    package init(kind: WorkloadKind, name: String, replicas: Int) {
        self.kind = kind
        self.name = name
        self.replicas = replicas
    }

    /// `statefulset/mongo`.
    package var reference: String { "\(kind.rawValue)/\(name)" }
    package var description: String { "\(reference)=\(replicas)" }

    package static let example = "TASTER_WORKLOADS=statefulset/mongo=1,deployment/pxbbq-web=1"

    /// Parses `statefulset/mongo=1,deployment/pxbbq-web=1`; `=N` may be left out and means 1.
    package static func parseList(_ text: String) -> Result<[WorkloadTarget], WorkloadParseError> {
        var targets: [WorkloadTarget] = []
        for rawEntry in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = String(rawEntry).trimmingSpaces()
            guard !entry.isEmpty else { return .failure(.init(entry: text, reason: "has an empty entry")) }
            let sides = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let reference = sides[0].split(separator: "/", omittingEmptySubsequences: false)
            guard reference.count == 2 else {
                return .failure(.init(entry: entry, reason: "must be KIND/NAME=REPLICAS"))
            }
            guard let kind = WorkloadKind(spelling: String(reference[0])) else {
                return .failure(.init(entry: entry, reason: "has kind \"\(reference[0])\"; taster scales deployment and statefulset"))
            }
            let name = String(reference[1])
            guard isDNSSubdomain(name) else {
                return .failure(
                    .init(entry: entry, reason: "has name \"\(name)\", which is not a Kubernetes object name (lowercase letters, digits, '-', '.')"))
            }
            var replicas = 1
            if sides.count == 2 {
                guard let value = Int(String(sides[1]).trimmingSpaces()), value >= 0, value <= 10_000 else {
                    return .failure(.init(entry: entry, reason: "has replicas \"\(sides[1])\", which is not a whole number from 0"))
                }
                replicas = value
            }
            let target = WorkloadTarget(kind: kind, name: name, replicas: replicas)
            guard !targets.contains(where: { $0.kind == kind && $0.name == name }) else {
                return .failure(.init(entry: entry, reason: "names \(target.reference) twice"))
            }
            targets.append(target)
        }
        return .success(targets)
    }

    package static func isDNSSubdomain(_ name: String) -> Bool {
        guard (1...253).contains(name.count) else { return false }
        guard name.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-" || $0 == ".") }) else { return false }
        return name.first!.isLetter || name.first!.isNumber ? (name.last!.isLetter || name.last!.isNumber) : false
    }
}

package struct WorkloadParseError: Error, Sendable {
    package let entry: String
    package let reason: String
}
