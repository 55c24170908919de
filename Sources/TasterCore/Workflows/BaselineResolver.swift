import FoundationEssentials
import Logging
import TasterSupport

/// Finds the baseline a post-taste (or restore) works from, and refuses one that cannot be
/// trusted: every field the use depends on is validated (`TasteReport.problems(for:)`), and the
/// baseline must be this run's, of this app and namespace. Every refusal exits 4 and says what to
/// do; none is ever a pass.
struct BaselineResolver: Sendable {
    let store: any ReportStore
    let layout: ReportLayout
    let logger: Logger
    /// This run's app and namespace: a baseline recorded for another is not this run's.
    let app: String
    let namespace: String

    init(store: any ReportStore, context: TasteContext) {
        self.store = store
        layout = context.layout
        logger = context.logger
        app = context.app
        namespace = context.namespace
    }

    /// Reports are small; anything bigger than this is not a taster report and is not read whole.
    static let maxReportBytes = 32 * 1024 * 1024

    struct Baseline: Sendable {
        let report: TasteReport
        let key: String
        /// The run `latest-pre.json` named, when the baseline was found through it.
        var pointerRunID: String? = nil
    }

    /// The baseline of `runID`, else the one `latest-pre.json` points at, validated for `use`.
    func resolve(runID: String?, for use: TasteReport.Use) async throws -> Baseline {
        do {
            let baseline = try await find(runID: runID)
            try validate(baseline, expectedRunID: runID ?? baseline.pointerRunID, for: use)
            return baseline
        } catch let error as any StoredObjectTooLarge {
            // Refused without being downloaded: no report is that large, so it is not a baseline.
            throw NoBaselineError(message: "no usable baseline: \(error)")
        }
    }

    private func find(runID: String?) async throws -> Baseline {
        let key: String
        var pointerRunID: String?
        if let runID {
            key = layout.key(.pre, run: runID)
        } else {
            let pointerKey = layout.latestPreKey
            guard let data = try await store.get(pointerKey, maxBytes: 64 * 1024) else {
                throw NoBaselineError(
                    message:
                        "no baseline: \(store.uri(for: pointerKey)) does not exist — run pre-taste first (check TASTER_PREFIX, TASTER_APP and the namespace match the pre-taste run)"
                )
            }
            let pointer = try ReportCodec.decode(
                BaselinePointer.self, from: data, supported: BaselinePointer.currentSchemaVersion,
                source: store.uri(for: pointerKey))
            // The pointer must name this layout's baseline of the run it names: a key elsewhere
            // would compare with another app's (or a hand-made) report.
            guard NameRules.isSafeIdentifier(pointer.runID), pointer.key == layout.key(.pre, run: pointer.runID) else {
                throw NoBaselineError(
                    message: "\(store.uri(for: pointerKey)) points at \"\(pointer.key)\" for run \"\(pointer.runID)\", "
                        + "which is not where this app's baseline of that run is (\(layout.key(.pre, run: NameRules.isSafeIdentifier(pointer.runID) ? pointer.runID : "<run-id>"))); "
                        + "run pre-taste again (check TASTER_PREFIX and TASTER_APP)")
            }
            key = pointer.key
            pointerRunID = pointer.runID
            logger.info("baseline from latest-pre.json: run \(pointer.runID), taken \(pointer.takenAt)")
        }
        guard let data = try await store.get(key, maxBytes: Self.maxReportBytes) else {
            throw NoBaselineError(message: "no baseline: \(store.uri(for: key)) does not exist — run pre-taste for this run first")
        }
        let report = try ReportCodec.decode(
            TasteReport.self, from: data, supported: TasteReport.readableSchemaVersions,
            source: store.uri(for: key))
        guard report.phase == .pre else {
            throw NoBaselineError(message: "\(store.uri(for: key)) is a \(report.phase.rawValue) report, not a baseline")
        }
        guard report.errors.isEmpty else {
            throw NoBaselineError(
                message: "the baseline \(store.uri(for: key)) recorded errors (\(report.errors.joined(separator: "; "))); run pre-taste again")
        }
        return Baseline(report: report, key: key, pointerRunID: pointerRunID)
    }

    /// Refuses a baseline that is not this run's or has a field `use` depends on that cannot be
    /// trusted, naming every such field.
    private func validate(_ baseline: Baseline, expectedRunID: String?, for use: TasteReport.Use) throws {
        let report = baseline.report
        var problems: [String] = []
        if let expectedRunID, report.runID != expectedRunID {
            problems.append("runId is \"\(report.runID)\" but the report is stored as run \(expectedRunID)'s baseline")
        }
        if report.app != app {
            problems.append("app is \"\(report.app)\" but this run is for \(app) (check TASTER_APP and TASTER_PREFIX)")
        }
        if let recorded = report.namespace, recorded != namespace {
            problems.append("namespace is \"\(recorded)\" but this run's is \(namespace) (check TASTER_NAMESPACE and TASTER_PREFIX)")
        }
        problems += report.problems(for: use)
        guard problems.isEmpty else {
            let shown = problems.prefix(6).joined(separator: "; ") + (problems.count > 6 ? "; and \(problems.count - 6) more" : "")
            throw NoBaselineError(
                message: "the baseline \(store.uri(for: baseline.key)) cannot be used: \(shown) — "
                    + "run pre-taste again to take a new baseline (a baseline that cannot be trusted is never compared)")
        }
    }

    /// Refuses a baseline found through `latest-pre.json` that was stored after this hook started
    /// (beyond the pods' clock skew): a later sync's pre-taste moved the pointer, and comparing
    /// its baseline would judge the wrong sync. A later baseline stored before that (or within the
    /// skew) cannot be told apart by time: `--run-id` (or `TASTER_ARGOCD_APP`) closes that window.
    func checkNotLater(_ baseline: Baseline, hookStarted: Date) throws {
        guard let pointerRunID = baseline.pointerRunID, let finished = Timestamp.parse(baseline.report.finishedAt),
            finished > hookStarted.addingTimeInterval(SyncOverlap.clockSkew)
        else { return }
        throw NoBaselineError(
            message:
                "\(store.uri(for: layout.latestPreKey)) names run \(pointerRunID), whose baseline was stored at \(baseline.report.finishedAt), after this post-taste started (\(Timestamp.rfc3339(hookStarted)), more than \(Int(SyncOverlap.clockSkew)) s of clock skew): it is a later sync's baseline, not this sync's — give this sync's run id with --run-id (TASTER_RUN_ID), or set TASTER_ARGOCD_APP so both hooks of a sync share one"
        )
    }

    /// Refuses a baseline a completed post-taste already used, or one older than `maxAge`.
    func checkUsable(_ baseline: Baseline, maxAge: Duration, now: Date = Date()) async throws {
        let verdictKey = layout.key(.verdict, run: baseline.report.runID)
        if try await store.exists(verdictKey) {
            throw NoBaselineError(
                message:
                    "the baseline of run \(baseline.report.runID) was already used: \(store.uri(for: verdictKey)) exists — run pre-taste again before the next post-taste"
            )
        }
        guard let finished = Timestamp.parse(baseline.report.finishedAt) else {
            throw NoBaselineError(
                message: "the baseline \(store.uri(for: baseline.key)) has an unreadable finishedAt \"\(baseline.report.finishedAt)\"; run pre-taste again")
        }
        let age = now.timeIntervalSince(finished)
        if age > maxAge.seconds {
            throw NoBaselineError(
                message:
                    "the baseline of run \(baseline.report.runID) was taken at \(baseline.report.finishedAt), \(DurationParser.format(.seconds(Int64(age)))) ago — older than TASTER_MAX_BASELINE_AGE (--max-baseline-age) \(DurationParser.format(maxAge)); run pre-taste again, or raise TASTER_MAX_BASELINE_AGE"
            )
        }
    }
}

/// No usable baseline. Exit 4.
package struct NoBaselineError: TasterError {
    package let message: String
    package var exitCode: TasterExitCode { .noBaseline }
    package var description: String { message }
}
