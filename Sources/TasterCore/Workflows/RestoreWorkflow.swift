import Logging

/// The SyncFail hook (and a tool for people): scale every workload recorded in a baseline back to
/// the replicas it had before pre-taste. Safe to run more than once.
package struct RestoreWorkflow: Sendable {
    package let context: TasteContext
    package let runID: String?
    package let workloads: RunWorkloads
    package let store: any ReportStore

    package init(context: TasteContext, runID: String?, workloads: RunWorkloads, store: any ReportStore) {
        self.context = context
        self.runID = runID
        self.workloads = workloads
        self.store = store
    }

    package struct Outcome: Sendable {
        package let runID: String
        package let restored: [WorkloadTarget]
        package let summary: String
    }

    package func run() async throws -> Outcome {
        let resolver = BaselineResolver(store: store, context: context)
        let baseline = try await resolver.resolve(runID: runID, for: .restore)
        let targets = baseline.report.workloads.map { WorkloadTarget(kind: $0.kind, name: $0.name, replicas: $0.replicasBefore) }
        guard !targets.isEmpty else {
            let summary = "taster: RESTORE \(context.app) run \(baseline.report.runID): the baseline recorded no workloads; nothing to do"
            return Outcome(runID: baseline.report.runID, restored: [], summary: summary)
        }
        workloads.remember(targets)
        let problems = await workloads.restore(runDeadline: context.deadline)
        if !problems.isEmpty { throw RestoreFailedError(problems: problems) }
        let summary = "taster: RESTORED \(context.app) run \(baseline.report.runID): " + targets.map(\.description).joined(separator: ", ")
        return Outcome(runID: baseline.report.runID, restored: targets, summary: summary)
    }
}
