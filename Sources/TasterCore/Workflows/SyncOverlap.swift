import FoundationEssentials
import Logging
import TasterSupport

/// Two syncs of one app that overlap: a PreSync hook that starts while the previous sync's
/// PostSync hook still runs (back-to-back syncs can do that). Each run keeps its own reports under
/// its own run id, so the baselines and verdicts never mix; what the two share is the workloads'
/// replicas. The earlier run scaled them up and will put them back when its post-taste ends, so:
///
/// - the later pre-taste records, for each workload it finds at the earlier run's target, the
///   replicas the earlier run found before it scaled (not the ones the earlier run set), so that
///   its own restore brings the app back to rest and not to the earlier run's scaled state;
/// - the earlier post-taste, once the later run's baseline is stored (`latest-pre.json` names it
///   and it has no verdict yet), leaves to the later run the workloads that baseline records
///   (its post-taste, or the SyncFail hook's `taster restore`, puts them back, and comes last)
///   and restores the rest itself: the later sync may scale fewer workloads (`ReplicaHandover`);
/// - an earlier run counts as still in progress only while its post-taste could still be running
///   (`inProgressBound`): an older baseline without a verdict is a sync that ended otherwise.
///
/// Both are logged as warnings. Reading what the other run stored is best effort: when it cannot
/// be read, each run does what it does alone.
struct SyncOverlap: Sendable {
    let store: any ReportStore
    let context: TasteContext

    /// How far apart two pods' clocks may be when their times are compared.
    static let clockSkew: TimeInterval = 60

    /// A run of this app whose baseline is stored and whose post-taste has not stored a verdict.
    struct UnfinishedRun: Sendable {
        let runID: String
        /// Its baseline's record of the workloads (`replicasBefore`: what it found before scaling).
        let workloads: [TasteReport.WorkloadRecord]
        /// When its baseline was stored.
        let finishedAt: Date?
    }

    /// The run `latest-pre.json` names when it is not `runID` and has no `verdict.json` yet.
    func unfinishedRun(other runID: String) async -> UnfinishedRun? {
        do {
            let pointerKey = context.layout.latestPreKey
            guard let data = try await store.get(pointerKey, maxBytes: 64 * 1024) else { return nil }
            let pointer = try ReportCodec.decode(
                BaselinePointer.self, from: data, supported: BaselinePointer.currentSchemaVersion, source: store.uri(for: pointerKey))
            guard pointer.runID != runID, NameRules.isSafeIdentifier(pointer.runID) else { return nil }
            if try await store.exists(context.layout.key(.verdict, run: pointer.runID)) { return nil }
            let baseline = try await BaselineResolver(store: store, context: context).resolve(runID: pointer.runID, for: .restore)
            return UnfinishedRun(
                runID: pointer.runID, workloads: baseline.report.workloads, finishedAt: Timestamp.parse(baseline.report.finishedAt))
        } catch {
            context.logger.debug("looking for an overlapping run of \(context.app): \(error)")
            return nil
        }
    }

    /// How long after its baseline was stored a run's post-taste can still be running, so that a
    /// baseline without a verdict still stands for a sync in progress:
    ///
    /// - its post-taste refuses (exit 4) a baseline older than `maxBaselineAge` when it starts
    ///   (`TASTER_MAX_BASELINE_AGE`; the hooks of one app share their settings);
    /// - once started it ends within its `deadline` (`TASTER_DEADLINE`), and its restore may take
    ///   `RunWorkloads.restoreBudget` more after that;
    /// - the two pods' clocks may be `clockSkew` apart.
    ///
    /// Past the sum, nothing of that run still holds the workloads (its SyncFail hook restored,
    /// or nobody will): a pre-taste records the replicas it finds.
    static func inProgressBound(maxBaselineAge: Duration, deadline: Duration) -> TimeInterval {
        maxBaselineAge.seconds + deadline.seconds + RunWorkloads.restoreBudget.seconds + clockSkew
    }

    /// pre-taste: the earlier run without a verdict, whose record of the workloads this run's
    /// baseline takes over where the workloads are still at its targets (`TasteMeasurement` logs it),
    /// unless its baseline is older than `inProgressBound` (logged: it is then nobody's).
    func earlierRun(before runID: String, maxBaselineAge: Duration, now: Date = Date()) async -> UnfinishedRun? {
        guard let earlier = await unfinishedRun(other: runID) else { return nil }
        let bound = Self.inProgressBound(maxBaselineAge: maxBaselineAge, deadline: context.deadline.budget)
        guard let finished = earlier.finishedAt, now.timeIntervalSince(finished) <= bound else {
            context.logger.info(
                "run \(earlier.runID) of \(context.app) has no verdict, but its baseline's finishedAt is \(earlier.finishedAt == nil ? "unreadable" : "older than its post-taste could still run") (TASTER_MAX_BASELINE_AGE + TASTER_DEADLINE + the restore's \(DurationParser.format(RunWorkloads.restoreBudget)) + \(Int(Self.clockSkew)) s of clock skew): not an overlapping sync; recording the replicas as found"
            )
            return nil
        }
        return earlier
    }

    /// post-taste: the later run that shares the workloads now, if any: one whose baseline was
    /// stored while this post-taste ran (since `started`, give or take a minute between the pods'
    /// clocks). An older baseline without a verdict is a sync that ended otherwise (its SyncFail
    /// hook restored), and holds nothing. Which workloads it holds is `ReplicaHandover`'s to say.
    func laterRun(after runID: String, since started: Date) async -> UnfinishedRun? {
        guard let later = await unfinishedRun(other: runID), let finished = later.finishedAt,
            finished > started.addingTimeInterval(-Self.clockSkew)
        else { return nil }
        return later
    }
}

extension SyncOverlap.UnfinishedRun {
    /// What `target` had before the earlier run scaled it, when the earlier run scaled it to the
    /// same replicas this run found (so what this run found is the earlier run's doing).
    func replicasBefore(_ target: WorkloadTarget, found: Int?) -> Int? {
        guard let record = workloads.record(of: target),
            found == record.target, record.replicasBefore != record.target
        else { return nil }
        return record.replicasBefore
    }
}
