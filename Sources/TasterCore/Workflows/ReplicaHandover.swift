/// What the earlier of two overlapping syncs' post-taste leaves to the later run, and what it
/// restores itself (`SyncOverlap`). The later run puts back what its own baseline records, at the
/// replicas recorded there, and it restores after this run: so a workload its baseline records
/// (same kind and name) is left to it, whatever replicas it recorded — restoring it here would
/// pull it from under the later sync and change nothing in the end. A workload the later sync does
/// not scale (`TASTER_WORKLOADS` changed) this run restores, or nothing would put it back.
struct ReplicaHandover: Sendable, Equatable {
    /// Left to the later run: its restore puts them back.
    let left: [WorkloadTarget]
    /// Left to the later run, whose baseline records other replicas before than this run would
    /// restore (it could not read this run's record): the later restore's count wins, and the
    /// warning names both.
    let differing: [Differing]
    /// Restored by this run.
    let restored: [WorkloadTarget]

    struct Differing: Sendable, Equatable {
        let target: WorkloadTarget
        let laterBefore: Int
    }

    /// `remembered`: what this run would restore (each workload at its replicas before this run);
    /// `later`: the later baseline's record of the workloads.
    init(remembered: [WorkloadTarget], later: [TasteReport.WorkloadRecord]) {
        var left: [WorkloadTarget] = []
        var differing: [Differing] = []
        var restored: [WorkloadTarget] = []
        for target in remembered {
            guard let record = later.record(of: target) else {
                restored.append(target)
                continue
            }
            left.append(target)
            if record.replicasBefore != target.replicas { differing.append(Differing(target: target, laterBefore: record.replicasBefore)) }
        }
        self.left = left
        self.differing = differing
        self.restored = restored
    }

    /// The warning post-taste logs: which run, what it leaves, what it restores and why.
    func message(app: String, laterRunID: String) -> String {
        var text = "overlapping syncs: run \(laterRunID) of \(app) took its baseline while this run's post-taste ran"
        if !left.isEmpty {
            text +=
                "; leaving \(left.map(\.description).joined(separator: ", ")) to it (its baseline records them; its post-taste, or `taster restore`, puts them back)"
        }
        for entry in differing {
            let (reference, found, later) = (entry.target.reference, entry.target.replicas, entry.laterBefore)
            text += "; its baseline records \(reference) at \(later) replicas before where this run found \(found)"
            text += ": its restore leaves \(later) (scale it to \(found) by hand if that is its resting count)"
        }
        if !restored.isEmpty {
            text +=
                "; restoring \(restored.map(\.description).joined(separator: ", ")) now (its baseline does not record them, so its restore would not put them back)"
        }
        return text
    }
}
