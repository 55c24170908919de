import FoundationEssentials
import Logging

/// The PostSync hook: find the baseline, wait until the workloads are ready again, wait for
/// MongoDB, snapshot, upload `post.json`, compare, upload `verdict.json`, and restore the
/// replicas recorded in the baseline — the restore runs even when a step failed, and a failed
/// restore makes the exit non-zero.
public struct PostTasteWorkflow: Sendable {
    public struct Options: Sendable {
        /// Compare with this run's baseline instead of following `latest-pre.json`.
        public var runID: String?
        public var maxBaselineAge: Duration
        /// Do not restore the replicas (debugging).
        public var keepRunning: Bool
        /// Report every difference but exit 0 unless a dependency failed.
        public var reportOnly: Bool

        public init(runID: String?, maxBaselineAge: Duration = .seconds(86_400), keepRunning: Bool = false, reportOnly: Bool = false) {
            self.runID = runID
            self.maxBaselineAge = maxBaselineAge
            self.keepRunning = keepRunning
            self.reportOnly = reportOnly
        }
    }

    public let context: TasteContext
    public let options: Options
    public let workloads: (any WorkloadControl)?
    public let database: any DatabaseSnapshotting
    public let store: any ReportStore

    public init(context: TasteContext, options: Options, workloads: (any WorkloadControl)?,
                database: any DatabaseSnapshotting, store: any ReportStore) {
        self.context = context
        self.options = options
        self.workloads = workloads
        self.database = database
        self.store = store
    }

    public struct Outcome: Sendable {
        public let verdict: Verdict
        /// Where the run's reports are, by role (`pre`, `post`, `verdict`, `page`): for the notification.
        public let reportURIs: [String: String]
        /// Problems restoring the replicas (the exit is non-zero when there are any).
        public let restoreProblems: [String]

        /// 0 pass (or report-only), 1 data changed, 3 restore failed.
        public var exitCode: TasterExitCode {
            if verdict.result == .fail && !verdict.reportOnly { return .integrityFailure }
            if !restoreProblems.isEmpty { return .dependency }
            return .pass
        }

        public var summary: String {
            restoreProblems.isEmpty ? verdict.summary : verdict.summary + "; RESTORE FAILED: " + restoreProblems.joined(separator: "; ")
        }
    }

    public func run() async throws -> Outcome {
        let settings = context.settings
        let deadline = context.deadline
        let log = StepLog(logger: context.logger)
        let startedAt = Timestamp.rfc3339()
        let resolver = BaselineResolver(store: store, context: context)

        let baseline = try await log.run("find the baseline") {
            let baseline = try await resolver.resolve(runID: options.runID, for: .verdict)
            try await resolver.checkUsable(baseline, maxAge: options.maxBaselineAge)
            return baseline
        }
        let runID = baseline.report.runID
        context.logger.info("post-taste of \(context.app) run \(runID) against \(store.uri(for: baseline.key))")

        // What to put back afterwards: the replicas recorded in the baseline, plus anything this
        // run had to scale that the baseline does not know.
        var restoreTargets = baseline.report.workloads.map { WorkloadTarget(kind: $0.kind, name: $0.name, replicas: $0.replicasBefore) }
        var result: Result<(Verdict, [String: String]), any Error>
        do {
            var records: [TasteReport.WorkloadRecord] = []
            var warnings: [String] = []
            let targets = settings.kubernetes.workloads
            if let workloads, !targets.isEmpty {
                try await log.run("check the replicas of \(targets.map(\.reference).joined(separator: ", "))") {
                    for target in targets {
                        let found = try await workloads.replicas(of: target, deadline: deadline)
                        if found != target.replicas {
                            let warning = "the sync left \(target.reference) at \(found) replicas; scaled it to \(target.replicas) again (add ignoreDifferences on /spec/replicas to the Application, see README)"
                            context.logger.warning("\(warning)")
                            warnings.append(warning)
                            if !restoreTargets.contains(where: { $0.kind == target.kind && $0.name == target.name }) {
                                restoreTargets.append(WorkloadTarget(kind: target.kind, name: target.name, replicas: found))
                            }
                            _ = try await workloads.scale(target, to: target.replicas, deadline: deadline)
                        }
                    }
                }
                let seconds = try await log.run("wait until ready (up to \(DurationParser.format(deadline.capped(settings.kubernetes.readyTimeout))))") {
                    try await workloads.waitUntilReady(targets, timeout: deadline.capped(settings.kubernetes.readyTimeout), deadline: deadline)
                }
                records = targets.map { target in
                    let before = baseline.report.workloads.first { $0.kind == target.kind && $0.name == target.name }?.replicasBefore
                    return TasteReport.WorkloadRecord(kind: target.kind, name: target.name, replicasBefore: before ?? target.replicas,
                                                      target: target.replicas, secondsToReady: seconds[target])
                }
            }
            try await log.run("wait for MongoDB (up to \(DurationParser.format(deadline.capped(settings.mongo.wait))))") {
                try await database.waitUntilAvailable(timeout: deadline.capped(settings.mongo.wait), deadline: deadline)
            }
            // The resolver refused a baseline whose time does not parse: the cut is never this
            // snapshot's own time, which would let a replaced document pass.
            guard let cut = Timestamp.parse(baseline.report.snapshot.takenAt) else {
                throw NoBaselineError(message: "the baseline \(store.uri(for: baseline.key)) has an unreadable snapshot.takenAt; run pre-taste again")
            }
            let snapshot = try await log.run("snapshot of \(settings.mongo.database)") {
                try await database.snapshot(asOf: cut, refusingMissing: false, deadline: deadline)
            }
            if let taken = Timestamp.parse(snapshot.takenAt), cut > taken {
                throw NoBaselineError(message: "the baseline \(store.uri(for: baseline.key)) was taken at \(baseline.report.snapshot.takenAt), "
                    + "after this snapshot (\(snapshot.takenAt), \(snapshot.clock) clock): its asOf cut would count documents written "
                    + "after the baseline; run pre-taste again (and check the clocks if this repeats)")
            }
            let postKey = context.layout.key(.post, run: runID)
            let post = TasteReport(phase: .post, runID: runID, app: context.app, namespace: context.namespace,
                                   host: context.host, startedAt: startedAt, finishedAt: Timestamp.rfc3339(),
                                   settings: SettingsSummary(settings: settings, prefix: context.layout.prefix),
                                   workloads: records, snapshot: snapshot, errors: warnings,
                                   baseline: .init(runID: runID, key: baseline.key))
            try deadline.check("uploading post.json")
            try await log.run("upload \(store.uri(for: postKey))") {
                try await store.put(postKey, data: try ReportCodec.encode(post), contentType: "application/json", createOnly: true)
            }
            let verdict = Verdict.make(pre: baseline.report, post: post, preKey: baseline.key, postKey: postKey,
                                       reportOnly: options.reportOnly, createdAt: Timestamp.rfc3339())
            let verdictKey = context.layout.key(.verdict, run: runID)
            try deadline.check("uploading verdict.json")
            try await log.run("upload \(store.uri(for: verdictKey)) (\(verdict.result.rawValue))") {
                try await store.put(verdictKey, data: try ReportCodec.encode(verdict), contentType: "application/json", createOnly: true)
            }
            // The page people look at. It comes after verdict.json, which is the record: a
            // failure here is reported but does not change the verdict.
            let pageKey = context.layout.key(.verdictHTML, run: runID)
            do {
                try await log.run("upload \(store.uri(for: pageKey))") {
                    let history = await VerdictHistoryLoader(store: store, layout: context.layout, logger: context.logger).load(excluding: runID)
                    // Links relative to the page, which sits next to the reports (README, "Reports in S3").
                    let page = VerdictPage(verdict: verdict.scrubbingFreeText(), history: history, preURI: store.uri(for: baseline.key), postURI: store.uri(for: postKey),
                                           verdictKey: verdictKey, links: ReportLinks(base: .relative, pageKey: pageKey))
                    try await store.put(pageKey, data: Data(page.render().utf8), contentType: "text/html; charset=utf-8", createOnly: true)
                }
            } catch {
                context.logger.warning("the verdict page was not stored (verdict.json was): \(error)")
            }
            result = .success((verdict, [
                "pre": store.uri(for: baseline.key), "post": store.uri(for: postKey),
                "verdict": store.uri(for: verdictKey), "page": store.uri(for: pageKey),
            ]))
        } catch {
            result = .failure(error)
        }

        var restoreProblems: [String] = []
        if options.keepRunning {
            context.logger.warning("--keep-running: the workloads stay scaled up; run `taster restore --run-id \(runID)` when done")
        } else if let workloads, !restoreTargets.isEmpty {
            restoreProblems = await ReplicaRestorer(workloads: workloads, logger: context.logger).restore(restoreTargets, runDeadline: deadline)
        }

        switch result {
        case .success(let (verdict, reportURIs)):
            return Outcome(verdict: verdict, reportURIs: reportURIs, restoreProblems: restoreProblems)
        case .failure(let error):
            if !restoreProblems.isEmpty {
                context.logger.error("\(RestoreFailedError(problems: restoreProblems))")
            }
            throw error
        }
    }
}
