import FoundationEssentials
import Logging

/// The PreSync hook: record the workloads' replicas, scale them to their targets, wait until
/// they are ready, wait for MongoDB, snapshot, upload `pre.json` (create-only), and only then
/// move `latest-pre.json` to it. On any failure — including SIGTERM and the deadline — the
/// workloads it scaled are put back and no pointer to the partial run is written.
public struct PreTasteWorkflow: Sendable {
    public let context: TasteContext
    public let runID: String
    /// Nil when `TASTER_WORKLOADS` is empty (nothing is scaled, Kubernetes is not needed).
    public let workloads: (any WorkloadControl)?
    public let database: any DatabaseSnapshotting
    public let store: any ReportStore

    public init(context: TasteContext, runID: String, workloads: (any WorkloadControl)?,
                database: any DatabaseSnapshotting, store: any ReportStore) {
        self.context = context
        self.runID = runID
        self.workloads = workloads
        self.database = database
        self.store = store
    }

    public struct Outcome: Sendable {
        public let report: TasteReport
        public let key: String
        public let summary: String
    }

    public func run() async throws -> Outcome {
        let settings = context.settings
        let deadline = context.deadline
        let log = StepLog(logger: context.logger)
        let startedAt = Timestamp.rfc3339()
        let key = context.layout.key(.pre, run: runID)
        context.logger.info("pre-taste of \(context.app) run \(runID) in namespace \(context.namespace)")

        // Refuse a reused run id before anything is touched.
        if try await store.exists(key) {
            throw RunIDTakenError(runID: runID, uri: store.uri(for: key))
        }

        var scaled: [WorkloadTarget] = []   // what to put back on failure: the replicas found before
        do {
            var records: [TasteReport.WorkloadRecord] = []
            let targets = settings.kubernetes.workloads
            if let workloads, !targets.isEmpty {
                var before: [WorkloadTarget: Int] = [:]
                try await log.run("scale \(targets.map(\.description).joined(separator: ", "))") {
                    for target in targets {
                        try deadline.check("reading the replicas of \(target.reference)")
                        let found = try await workloads.replicas(of: target, deadline: deadline)
                        before[target] = found
                        if found == target.replicas {
                            context.logger.info("\(target.reference) already has \(found) replicas")
                            continue
                        }
                        scaled.append(WorkloadTarget(kind: target.kind, name: target.name, replicas: found))
                        _ = try await workloads.scale(target, to: target.replicas, deadline: deadline)
                        context.logger.info("scaled \(target.reference): \(found) → \(target.replicas) replicas")
                    }
                }
                let seconds = try await log.run("wait until ready (up to \(DurationParser.format(deadline.capped(settings.kubernetes.readyTimeout))))") {
                    try await workloads.waitUntilReady(targets, timeout: deadline.capped(settings.kubernetes.readyTimeout), deadline: deadline)
                }
                records = targets.map { target in
                    TasteReport.WorkloadRecord(kind: target.kind, name: target.name, replicasBefore: before[target] ?? target.replicas,
                                               target: target.replicas, secondsToReady: seconds[target])
                }
            }
            try await log.run("wait for MongoDB (up to \(DurationParser.format(deadline.capped(settings.mongo.wait))))") {
                try await database.waitUntilAvailable(timeout: deadline.capped(settings.mongo.wait), deadline: deadline)
            }
            let snapshot = try await log.run("snapshot of \(settings.mongo.database)") {
                try await database.snapshot(asOf: nil, refusingMissing: true, deadline: deadline)
            }
            let report = TasteReport(phase: .pre, runID: runID, app: context.app, namespace: context.namespace,
                                     host: context.host, startedAt: startedAt, finishedAt: Timestamp.rfc3339(),
                                     settings: SettingsSummary(settings: settings, prefix: context.layout.prefix),
                                     workloads: records, snapshot: snapshot)
            try deadline.check("uploading pre.json")
            try await log.run("upload \(store.uri(for: key))") {
                try await store.put(key, data: try ReportCodec.encode(report), contentType: "application/json", createOnly: true)
            }
            let pointer = BaselinePointer(runID: runID, key: key, takenAt: snapshot.takenAt, finishedAt: report.finishedAt)
            let pointerURI = store.uri(for: context.layout.latestPreKey)
            do {
                try await log.run("point \(pointerURI) at run \(runID)") {
                    try await store.put(context.layout.latestPreKey, data: try ReportCodec.encode(pointer),
                                        contentType: "application/json", createOnly: false)
                }
            } catch where !Task.isCancelled {
                throw PointerWriteError(runID: runID, baselineURI: store.uri(for: key), pointerURI: pointerURI, underlying: error)
            }
            let counts = snapshot.checks.map { "\($0.name)=\($0.value?.description ?? ($0.missing ? "missing" : "—"))" }
            var summary = "taster: BASELINE \(context.app) run \(runID): \(snapshot.checks.count) checks (\(counts.prefix(6).joined(separator: ", "))\(counts.count > 6 ? ", …" : "")) stored at \(store.uri(for: key))"
            let hollow = snapshot.checks.filter { !$0.absentFields.isEmpty }
            if !hollow.isEmpty {
                summary += "; WARNING: \(hollow.count) check\(hollow.count == 1 ? "" : "s") guard\(hollow.count == 1 ? "s" : "") nothing ("
                    + hollow.map { "\($0.name): no document has \($0.absentFields.joined(separator: ", "))" }.joined(separator: "; ") + ")"
            }
            return Outcome(report: report, key: key, summary: summary)
        } catch {
            if let workloads, !scaled.isEmpty {
                context.logger.warning("pre-taste failed: putting back the replicas it changed")
                _ = await ReplicaRestorer(workloads: workloads, logger: context.logger).restore(scaled, runDeadline: deadline)
            }
            throw error
        }
    }
}

/// `runs/<id>/pre.json` already exists: the run id was used before. Exit 2.
public struct RunIDTakenError: TasterError {
    public let runID: String
    public let uri: String
    public var exitCode: TasterExitCode { .usage }
    public var description: String {
        "\(uri) already exists: run id \(runID) was used before — leave TASTER_RUN_ID unset (one id per sync) or set a new one"
    }
}
