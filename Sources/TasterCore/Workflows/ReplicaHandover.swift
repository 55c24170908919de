/// What the earlier of two overlapping syncs' post-taste leaves to the later run, and what it
/// restores itself (`SyncOverlap`). The later run puts back only what its own baseline records, at
/// the replicas recorded there; so a workload is left to it only when that baseline records it with
/// the same kind, name and replicas before as this run would restore. Anything else — a workload
/// the later sync does not scale (`TASTER_WORKLOADS` changed), or one it recorded at other
/// replicas — this run restores, or nothing would put it back where this run found it.
struct ReplicaHandover: Sendable, Equatable {
    /// Left to the later run: its restore puts them where this run's would.
    let left: [WorkloadTarget]
    /// Restored by this run.
    let restored: [WorkloadTarget]

    /// `remembered`: what this run would restore (each workload at its replicas before this run);
    /// `later`: the later baseline's record of the workloads.
    init(remembered: [WorkloadTarget], later: [TasteReport.WorkloadRecord]) {
        var left: [WorkloadTarget] = []
        var restored: [WorkloadTarget] = []
        for target in remembered {
            let same = later.contains { $0.kind == target.kind && $0.name == target.name && $0.replicasBefore == target.replicas }
            if same { left.append(target) } else { restored.append(target) }
        }
        self.left = left
        self.restored = restored
    }

    /// The warning post-taste logs: which run, what it leaves, what it restores and why.
    func message(app: String, laterRunID: String) -> String {
        var text = "overlapping syncs: run \(laterRunID) of \(app) took its baseline while this run's post-taste ran"
        if !left.isEmpty {
            text +=
                "; leaving \(left.map(\.description).joined(separator: ", ")) to it (its baseline records the same replicas before; its post-taste, or `taster restore`, puts them back)"
        }
        if !restored.isEmpty {
            text +=
                "; restoring \(restored.map(\.description).joined(separator: ", ")) now (its baseline does not record them with these replicas before, so its restore would not put them back here)"
        }
        return text
    }
}
