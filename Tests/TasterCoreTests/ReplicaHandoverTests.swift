import FoundationEssentials
import Testing

@testable import TasterCore

/// Two overlapping syncs: what the earlier post-taste leaves to the later run and what it restores
/// itself, and how long an earlier run without a verdict counts as in progress. Pure logic; the
/// workflows' use of it is in `WorkflowOrderingTests`, and the campaign runs it through the binary.
@Suite("Overlapping syncs: the replica handover")
struct ReplicaHandoverTests {
    static let mongo = WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 0)
    static let web = WorkloadTarget(kind: .deployment, name: "web", replicas: 0)

    static func record(_ kind: WorkloadKind, _ name: String, before: Int, target: Int = 1) -> TasteReport.WorkloadRecord {
        TasteReport.WorkloadRecord(kind: kind, name: name, replicasBefore: before, target: target, secondsToReady: nil)
    }

    @Test("the later baseline records every workload as this run would restore it: all are left to it")
    func allLeft() {
        let handover = ReplicaHandover(
            remembered: [Self.mongo, Self.web],
            later: [Self.record(.statefulset, "mongo", before: 0, target: 3), Self.record(.deployment, "web", before: 0)])
        #expect(handover.left == [Self.mongo, Self.web])
        #expect(handover.restored.isEmpty)
    }

    @Test("the later sync scales fewer workloads (TASTER_WORKLOADS changed): the one it does not record is restored here")
    func fewerWorkloads() {
        let handover = ReplicaHandover(remembered: [Self.mongo, Self.web], later: [Self.record(.statefulset, "mongo", before: 0)])
        #expect(handover.left == [Self.mongo])
        #expect(handover.restored == [Self.web])
        let message = handover.message(app: "shop", laterRunID: "run-2")
        #expect(message.contains("run-2") && message.contains("leaving statefulset/mongo=0") && message.contains("restoring deployment/web=0"))
    }

    @Test("a later baseline that records other replicas before: left to it (its restore comes last), and the warning names both counts")
    func otherReplicas() {
        let handover = ReplicaHandover(remembered: [Self.mongo, Self.web], later: [Self.record(.statefulset, "mongo", before: 1)])
        #expect(handover.left == [Self.mongo])
        #expect(handover.differing == [.init(target: Self.mongo, laterBefore: 1)])
        #expect(handover.restored == [Self.web])
        let message = handover.message(app: "shop", laterRunID: "run-2")
        #expect(message.contains("records statefulset/mongo at 1 replicas before where this run found 0"), "\(message)")
    }

    @Test("a later baseline that records another kind of the same name, or no workloads at all, leaves nothing to it")
    func mismatches() {
        let other = ReplicaHandover(remembered: [Self.mongo, Self.web], later: [Self.record(.statefulset, "web", before: 0)])
        #expect(other.left.isEmpty && other.differing.isEmpty)
        #expect(other.restored == [Self.mongo, Self.web])
        let none = ReplicaHandover(remembered: [Self.mongo], later: [])
        #expect(none.left.isEmpty && none.restored == [Self.mongo])
        #expect(!none.message(app: "shop", laterRunID: "run-2").contains("leaving"))
    }

    @Test("an earlier run counts as in progress for TASTER_MAX_BASELINE_AGE + TASTER_DEADLINE + the restore budget + the clock skew")
    func inProgressBound() {
        let bound = SyncOverlap.inProgressBound(maxBaselineAge: .seconds(86_400), deadline: .seconds(900))
        #expect(bound == 86_400 + 900 + 20 + 60)
    }
}
