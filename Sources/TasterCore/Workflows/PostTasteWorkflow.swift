import FoundationEssentials
import Logging
import TasterSupport

/// The PostSync hook: find the baseline, measure again (the workloads back at their targets and
/// ready, the database answering, a snapshot cut at the baseline's time), upload `post.json`,
/// compare, upload `verdict.json` and the page, and restore the replicas recorded in the
/// baseline — the restore runs even when a step failed, and a failed restore makes the exit
/// non-zero.
package struct PostTasteWorkflow: Sendable {
    package struct Options: Sendable {
        /// Compare with this run's baseline instead of following `latest-pre.json`.
        package var runID: String?
        package var maxBaselineAge: Duration
        /// Do not restore the replicas (debugging).
        package var keepRunning: Bool
        /// Report every difference but exit 0 unless a dependency failed.
        package var reportOnly: Bool

        /// `TASTER_MAX_BASELINE_AGE`'s default: a day.
        package static let defaultMaxBaselineAge: Duration = .seconds(86_400)

        package init(
            runID: String?, maxBaselineAge: Duration = Options.defaultMaxBaselineAge, keepRunning: Bool = false, reportOnly: Bool = false
        ) {
            self.runID = runID
            self.maxBaselineAge = maxBaselineAge
            self.keepRunning = keepRunning
            self.reportOnly = reportOnly
        }
    }

    package let context: TasteContext
    package let options: Options
    package let workloads: RunWorkloads
    package let database: any DatabaseSnapshotting
    package let store: any ReportStore

    package init(
        context: TasteContext, options: Options, workloads: RunWorkloads,
        database: any DatabaseSnapshotting, store: any ReportStore
    ) {
        self.context = context
        self.options = options
        self.workloads = workloads
        self.database = database
        self.store = store
    }

    package struct Outcome: Sendable {
        package let verdict: Verdict
        /// Where the run's reports are, by role (`pre`, `post`, `verdict`, `page`): for the notification.
        package let reportURIs: [String: String]
        /// Problems restoring the replicas (the exit is non-zero when there are any).
        package let restoreProblems: [String]

        /// 0 pass (or report-only), 1 data changed, 3 restore failed.
        package var exitCode: TasterExitCode {
            if verdict.result == .fail && !verdict.reportOnly { return .integrityFailure }
            if !restoreProblems.isEmpty { return .dependency }
            return .pass
        }

        /// The verdict's summary (and the restore's problems), then the link to the page, kept
        /// whole in the termination message's 4000 bytes.
        package var summary: String {
            let summary = restoreProblems.isEmpty ? verdict.summary : verdict.summary + "; RESTORE FAILED: " + restoreProblems.joined(separator: "; ")
            return Announcement.linked(summary, reportURIs: reportURIs, limit: TerminationMessage.limit)
        }

        /// The role under which `reportURIs` holds the link to the verdict page.
        package static let linkRole = "link"
    }

    package func run() async throws -> Outcome {
        // When this hook started (its deadline started with it), on the wall clock other pods'
        // reports are stamped with.
        let started = Date().addingTimeInterval(-context.deadline.elapsed.seconds)
        let resolver = BaselineResolver(store: store, context: context)
        let baseline = try await StepLog(logger: context.logger).run("find the baseline") {
            let baseline = try await resolver.resolve(runID: options.runID, for: .verdict)
            try resolver.checkNotLater(baseline, hookStarted: started)
            try await resolver.checkUsable(baseline, maxAge: options.maxBaselineAge)
            return baseline
        }
        let runID = baseline.report.runID
        context.logger.info("post-taste of \(context.app) run \(runID) against \(store.uri(for: baseline.key))")

        // What to put back afterwards: the replicas recorded in the baseline, and anything this
        // run has to scale that the baseline does not know.
        workloads.remember(baseline.report.workloads.map { WorkloadTarget(kind: $0.kind, name: $0.name, replicas: $0.replicasBefore) })
        let result: Result<(Verdict, [String: String]), any Error>
        do {
            let measured = try await TasteMeasurement(context: context, workloads: workloads, database: database)
                .run(.post, runID: runID, startedAt: Timestamp.rfc3339(), baseline: (baseline.report, store.uri(for: baseline.key)))
            var post = measured.report
            post.baseline = .init(runID: runID, key: baseline.key)
            result = .success(try await judge(post, measured: measured, against: baseline))
        } catch {
            result = .failure(error)
        }

        var restoreProblems: [String] = []
        if options.keepRunning {
            context.logger.warning("--keep-running: the workloads stay scaled up; run `taster restore --run-id \(runID)` when done")
        } else {
            if workloads.hasChanges, let later = await SyncOverlap(store: store, context: context).laterRun(after: runID, since: started) {
                // A later sync's pre-taste shares the workloads now: it puts back those its baseline
                // records as this run would; this run restores the rest.
                let handover = ReplicaHandover(remembered: workloads.remembered, later: later.workloads)
                context.logger.warning("\(handover.message(app: context.app, laterRunID: later.runID))")
                workloads.handOver(handover.left)
            }
            restoreProblems = await workloads.restore(runDeadline: context.deadline)
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

    /// Uploads `post.json`, compares, uploads `verdict.json`, then the page; returns the verdict
    /// and where the reports are, by role.
    private func judge(
        _ report: TasteReport, measured: TasteMeasurement.Measured, against baseline: BaselineResolver.Baseline
    ) async throws -> (Verdict, [String: String]) {
        let indexes = measured.indexes
        let deadline = context.deadline
        let log = StepLog(logger: context.logger)
        let runID = report.runID
        let postKey = context.layout.key(.post, run: runID)
        let evidence = DocumentEvidence(store: store, context: context, key: measured.evidenceKey)
        var post = report
        try deadline.check("uploading the document indexes")
        await evidence.store(indexes, in: &post)
        try deadline.check("uploading post.json")
        try await log.run("upload \(store.uri(for: postKey))") {
            try await store.put(postKey, data: try ReportCodec.encode(post), contentType: "application/json", createOnly: true)
        }
        var verdict = Verdict.make(
            pre: baseline.report, post: post, preKey: baseline.key, postKey: postKey,
            reportOnly: options.reportOnly, createdAt: Timestamp.rfc3339())
        try deadline.check("naming the changed documents")
        await evidence.attach(
            to: &verdict.checks, baseline: baseline.report, post: post, indexes: indexes,
            keyProblem: measured.baselineKeyProblem, records: verdict.records)
        verdict.summarizeAgain()
        let verdictKey = context.layout.key(.verdict, run: runID)
        try deadline.check("uploading verdict.json")
        try await log.run("upload \(store.uri(for: verdictKey)) (\(verdict.result.rawValue))") {
            try await store.put(verdictKey, data: try ReportCodec.encode(verdict), contentType: "application/json", createOnly: true)
        }
        // The page people look at. It comes after verdict.json, which is the record: a failure
        // here is reported but does not change the verdict.
        let pageKey = context.layout.key(.verdictHTML, run: runID)
        var pageStored = true
        let stored = verdict
        do {
            // Once verdict.json is stored its page follows, even after SIGTERM: an interrupted run
            // must not leave a verdict without the page people open.
            try await Self.uncancelled(within: Self.pageBudget) {
                let loader = VerdictHistoryLoader(store: store, layout: context.layout, logger: context.logger)
                let (history, recent) = await loader.load(excluding: runID)
                var failure: (any Error)?
                do {
                    try await log.run("upload \(store.uri(for: pageKey))") {
                        // Links relative to the page, which sits next to the reports (README, "Reports in S3").
                        let page = VerdictPage(
                            verdict: stored.scrubbingFreeText(), history: history, preURI: store.uri(for: baseline.key),
                            postURI: store.uri(for: postKey), verdictKey: verdictKey,
                            links: ReportLinks(base: .relative, pageKey: pageKey))
                        try await store.put(pageKey, data: Data(page.render().utf8), contentType: "text/html; charset=utf-8", createOnly: true)
                    }
                } catch {
                    failure = error
                }
                // The run joins the list later pages' history reads, page or not: its verdict is stored.
                if let recent { await loader.record(stored, pageStored: failure == nil, in: recent) }
                if let failure { throw failure }
            }
        } catch {
            pageStored = false
            context.logger.warning("the verdict page was not stored (verdict.json was): \(error)")
        }
        var uris = [
            "pre": store.uri(for: baseline.key), "post": store.uri(for: postKey),
            "verdict": store.uri(for: verdictKey), "page": store.uri(for: pageKey),
        ]
        // The link a person opens (summary, termination message, Event, notification): to the
        // page, and only when it was stored.
        if pageStored, let link = store.link(for: pageKey) { uris[Outcome.linkRole] = link }
        return (verdict, uris)
    }

    /// How long the page may take once the run was interrupted (the restore comes after it, inside
    /// the 30 s Kubernetes leaves between SIGTERM and SIGKILL).
    static let pageBudget: Duration = .seconds(5)

    /// Runs `body` in a task of its own that the run's cancellation (SIGTERM) does not stop at
    /// once: it is cancelled `budget` after it.
    private static func uncancelled(within budget: Duration, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let task = Task { try await body() }
        try await withTaskCancellationHandler {
            try await task.value
        } onCancel: {
            Task {
                try? await Task.sleep(for: budget)
                task.cancel()
            }
        }
    }
}
