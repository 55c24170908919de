import Logging

/// The SyncFail hook (and a tool for people): scale every workload recorded in a baseline back to
/// the replicas it had before pre-taste. Safe to run more than once.
public struct RestoreWorkflow: Sendable {
    public let context: TasteContext
    public let runID: String?
    public let workloads: any WorkloadControl
    public let store: any ReportStore

    public init(context: TasteContext, runID: String?, workloads: any WorkloadControl, store: any ReportStore) {
        self.context = context
        self.runID = runID
        self.workloads = workloads
        self.store = store
    }

    public struct Outcome: Sendable {
        public let runID: String
        public let restored: [WorkloadTarget]
        public let summary: String
    }

    public func run() async throws -> Outcome {
        let resolver = BaselineResolver(store: store, context: context)
        let baseline = try await resolver.resolve(runID: runID, for: .restore)
        let targets = baseline.report.workloads.map { WorkloadTarget(kind: $0.kind, name: $0.name, replicas: $0.replicasBefore) }
        guard !targets.isEmpty else {
            let summary = "taster: RESTORE \(context.app) run \(baseline.report.runID): the baseline recorded no workloads; nothing to do"
            return Outcome(runID: baseline.report.runID, restored: [], summary: summary)
        }
        var problems: [String] = []
        for target in targets {
            do {
                let before = try await workloads.scale(target, to: target.replicas, deadline: context.deadline)
                context.logger.info("restored \(target.reference): \(before) → \(target.replicas) replicas")
            } catch {
                context.logger.error("could not restore \(target.reference) to \(target.replicas) replicas: \(error)")
                problems.append("restore of \(target.reference) to \(target.replicas) replicas failed: \(error)")
            }
        }
        if !problems.isEmpty { throw RestoreFailedError(problems: problems) }
        let summary = "taster: RESTORED \(context.app) run \(baseline.report.runID): " + targets.map(\.description).joined(separator: ", ")
        return Outcome(runID: baseline.report.runID, restored: targets, summary: summary)
    }
}
