import FoundationEssentials
import Logging
import TasterSupport

/// The PreSync hook: refuse a run id already used, measure (record the workloads' replicas,
/// scale them to their targets, wait until they are ready, wait for the database, snapshot),
/// upload `pre.json` (create-only), and only then move `latest-pre.json` to it. On any failure —
/// including SIGTERM and the deadline — the workloads it scaled are put back and no pointer to
/// the partial run is written.
package struct PreTasteWorkflow: Sendable {
    package let context: TasteContext
    package let runID: String
    package let workloads: RunWorkloads
    package let database: any DatabaseSnapshotting
    package let store: any ReportStore
    /// `TASTER_MAX_BASELINE_AGE`: how long an earlier run's post-taste may still start, which
    /// bounds how long that run counts as in progress (`SyncOverlap.inProgressBound`).
    package let maxBaselineAge: Duration

    package init(
        context: TasteContext, runID: String, workloads: RunWorkloads,
        database: any DatabaseSnapshotting, store: any ReportStore, maxBaselineAge: Duration = PostTasteWorkflow.Options.defaultMaxBaselineAge
    ) {
        self.context = context
        self.runID = runID
        self.workloads = workloads
        self.database = database
        self.store = store
        self.maxBaselineAge = maxBaselineAge
    }

    package struct Outcome: Sendable {
        package let report: TasteReport
        package let key: String
        package let summary: String
    }

    package func run() async throws -> Outcome {
        let key = context.layout.key(.pre, run: runID)
        context.logger.info("pre-taste of \(context.app) run \(runID) in namespace \(context.namespace)")
        // Refuse a reused run id before anything is touched.
        if try await store.exists(key) {
            throw RunIDTakenError(runID: runID, uri: store.uri(for: key))
        }
        // A checks file the database can already refuse (a table missing, one without a primary key).
        try await database.refuseBaselineEarly(deadline: context.deadline)
        let earlier =
            workloads.targets.isEmpty ? nil : await SyncOverlap(store: store, context: context).earlierRun(before: runID, maxBaselineAge: maxBaselineAge)
        do {
            let measured = try await TasteMeasurement(context: context, workloads: workloads, database: database)
                .run(.pre, runID: runID, startedAt: Timestamp.rfc3339(), earlier: earlier)
            var report = measured.report
            try context.deadline.check("uploading the document indexes")
            await DocumentEvidence(store: store, context: context, key: measured.evidenceKey).store(measured.indexes, in: &report)
            try await upload(report, to: key)
            return Outcome(report: report, key: key, summary: summary(of: report.snapshot, at: key))
        } catch {
            if workloads.hasChanges {
                context.logger.warning("pre-taste failed: putting back the replicas it changed")
                _ = await workloads.restore(runDeadline: context.deadline)
            }
            throw error
        }
    }

    /// `pre.json` (create-only), then the pointer to it.
    private func upload(_ report: TasteReport, to key: String) async throws {
        let log = StepLog(logger: context.logger)
        try context.deadline.check("uploading pre.json")
        try await log.run("upload \(store.uri(for: key))") {
            try await store.put(key, data: try ReportCodec.encode(report), contentType: "application/json", createOnly: true)
        }
        let pointer = BaselinePointer(runID: runID, key: key, takenAt: report.snapshot.takenAt, finishedAt: report.finishedAt)
        let pointerURI = store.uri(for: context.layout.latestPreKey)
        do {
            try await log.run("point \(pointerURI) at run \(runID)") {
                try await store.put(
                    context.layout.latestPreKey, data: try ReportCodec.encode(pointer),
                    contentType: "application/json", createOnly: false)
            }
        } catch  where !Task.isCancelled {
            throw PointerWriteError(runID: runID, baselineURI: store.uri(for: key), pointerURI: pointerURI, underlying: error)
        }
    }

    /// `taster: BASELINE <app> run <id>: N checks (a=1, b=2, …) stored at <uri>`, and a warning for
    /// checks that guard nothing.
    private func summary(of snapshot: Snapshot, at key: String) -> String {
        let counts = snapshot.checks.map { "\($0.name)=\($0.value?.description ?? ($0.missing ? "missing" : "—"))" }
        var summary =
            "taster: BASELINE \(context.app) run \(runID): \(snapshot.checks.count) checks (\(counts.prefix(6).joined(separator: ", "))\(counts.count > 6 ? ", …" : "")) stored at \(store.uri(for: key))"
        let hollow = snapshot.checks.filter { !$0.absentFields.isEmpty }
        if !hollow.isEmpty {
            summary +=
                "; WARNING: \(hollow.count) check\(hollow.count == 1 ? "" : "s") guard\(hollow.count == 1 ? "s" : "") nothing ("
                + hollow.map { "\($0.name): no document has \($0.absentFields.joined(separator: ", "))" }.joined(separator: "; ") + ")"
        }
        return summary
    }
}

/// `runs/<id>/pre.json` already exists: the run id was used before. Exit 2.
package struct RunIDTakenError: TasterError {
    package let runID: String
    package let uri: String
    package var exitCode: TasterExitCode { .usage }
    package var description: String {
        "\(uri) already exists: run id \(runID) was used before — leave TASTER_RUN_ID unset (one id per sync) or set a new one"
    }
}
