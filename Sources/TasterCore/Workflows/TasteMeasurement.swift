import FoundationEssentials
import TasterSupport

/// The one taste pipeline both hooks run: the workloads at their targets and ready, the database
/// answering, a snapshot of every check, the phase's report. Each step is logged with its
/// duration; what is scaled is remembered by `workloads`, which the workflow restores.
struct TasteMeasurement: Sendable {
    let context: TasteContext
    let workloads: RunWorkloads
    let database: any DatabaseSnapshotting

    /// What a phase measured: its report, and the document indexes its checks wrote (not yet
    /// stored: `DocumentEvidence` does that), the key their field digests were made with, and why
    /// the baseline's digests cannot be reproduced (its `evidenceKey` record is damaged).
    struct Measured: Sendable {
        var report: TasteReport
        var indexes: [String: DocumentIndexOutcome]
        var evidenceKey: EvidenceKey?
        var baselineKeyProblem: String?
    }

    /// Measures one phase; the report's `errors` hold the sync's changes of the workloads'
    /// replicas (post-taste). `baseline` is the pre report a post-taste compares with (and where it
    /// is, for messages): its snapshot time is the cut of `asOf: baseline` checks and its records
    /// say what the workloads had before pre-taste. `earlier` is a run of the same app still in
    /// progress (pre-taste, `SyncOverlap`): a workload found at its target is recorded with the
    /// replicas that run found before it scaled.
    func run(
        _ phase: TasteReport.Phase, runID: String, startedAt: String,
        baseline: (report: TasteReport, uri: String)? = nil, earlier: SyncOverlap.UnfinishedRun? = nil
    ) async throws -> Measured {
        let deadline = context.deadline
        let log = StepLog(logger: context.logger)
        let targets = workloads.targets
        var warnings: [String] = []
        var records: [TasteReport.WorkloadRecord] = []
        if !targets.isEmpty {
            switch phase {
            case .pre:
                try await log.run("scale \(targets.map(\.description).joined(separator: ", "))") {
                    try await workloads.scaleToTargets(.beforeSync, deadline: deadline)
                }
            case .post:
                warnings = try await log.run("check the replicas of \(targets.map(\.reference).joined(separator: ", "))") {
                    try await workloads.scaleToTargets(.afterSync, deadline: deadline)
                }
            }
            let timeout = deadline.capped(context.readyTimeout)
            let seconds = try await log.run("wait until ready (up to \(DurationParser.format(timeout)))") {
                try await workloads.waitUntilReady(timeout: timeout, deadline: deadline)
            }
            var inherited: [String] = []
            records = targets.map { target in
                var before: Int?
                if let baseline {
                    before = baseline.report.workloads.record(of: target)?.replicasBefore
                } else if let earlier, let replicas = earlier.replicasBefore(target, found: workloads.replicasFound(target)) {
                    before = replicas
                    inherited.append("\(target.reference)=\(replicas)")
                } else {
                    before = workloads.replicasFound(target)
                }
                return TasteReport.WorkloadRecord(
                    kind: target.kind, name: target.name, replicasBefore: before ?? target.replicas,
                    target: target.replicas, secondsToReady: seconds[target])
            }
            if let earlier, !inherited.isEmpty {
                context.logger.warning(
                    "overlapping syncs: run \(earlier.runID) of \(context.app) has not stored its verdict (its post-taste may still run) and left the workloads at its targets; this run keeps a baseline of its own and records the replicas run \(earlier.runID) found before it scaled (\(inherited.joined(separator: ", "))), so its restore puts the app back to rest"
                )
            }
        }
        let wait = deadline.capped(context.databaseWait)
        try await log.run("wait for \(database.engine) (up to \(DurationParser.format(wait)))") {
            try await database.waitUntilAvailable(timeout: wait, deadline: deadline)
        }
        var cut: Date?
        if let baseline {
            // The resolver refused a baseline whose time does not parse: the cut is never this
            // snapshot's own time, which would let a replaced document pass.
            guard let time = Timestamp.parse(baseline.report.snapshot.takenAt) else {
                throw NoBaselineError(message: "the baseline \(baseline.uri) has an unreadable snapshot.takenAt; run pre-taste again")
            }
            cut = time
        }
        let inventory = try await log.run("inventory of \(database.name)") {
            try await database.inventory(deadline: deadline)
        }
        var evidence = context.evidence
        var baselineKeyProblem: String?
        if evidence.key == nil, database.keepsDocumentIndexes, let secret = evidence.secret {
            let resolved = try EvidenceKeyResolver(logger: context.logger, deadline: deadline).resolve(secret, baseline: baseline?.report)
            evidence.key = resolved.key
            baselineKeyProblem = resolved.baselineProblem
        }
        let measured = try await log.run("snapshot of \(database.name)") { [evidence] in
            try await database.snapshot(asOf: cut, refusingMissing: phase == .pre, evidence: evidence, deadline: deadline)
        }
        let snapshot = measured.snapshot
        if let baseline, let cut, let taken = Timestamp.parse(snapshot.takenAt), cut > taken {
            throw NoBaselineError(
                message: "the baseline \(baseline.uri) was taken at \(baseline.report.snapshot.takenAt), "
                    + "after this snapshot (\(snapshot.takenAt), \(snapshot.clock) clock): its asOf cut would count documents written "
                    + "after the baseline; run pre-taste again (and check the clocks if this repeats)")
        }
        let report = TasteReport(
            phase: phase, runID: runID, app: context.app, namespace: context.namespace,
            host: context.host, startedAt: startedAt, finishedAt: Timestamp.rfc3339(),
            settings: context.settingsSummary, workloads: records, snapshot: snapshot, errors: warnings,
            inventory: inventory, evidenceKey: database.keepsDocumentIndexes ? evidence.key?.record : nil)
        return Measured(report: report, indexes: measured.indexes, evidenceKey: evidence.key, baselineKeyProblem: baselineKeyProblem)
    }
}
