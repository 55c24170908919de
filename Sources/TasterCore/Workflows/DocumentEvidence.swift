import FoundationEssentials
import Logging
import TasterSupport

/// The documents behind the checks: stores the document indexes a snapshot wrote next to its
/// report, and at post-taste compares each with the baseline's to name what was lost, added and
/// modified. Nothing here ever changes a check's result or blocks the verdict: an index that is
/// missing, damaged or too large leaves the check judged by its value, with the reason stated.
struct DocumentEvidence: Sendable {
    let store: any ReportStore
    let layout: ReportLayout
    let policy: EvidencePolicy
    /// The key the phase's field digests were made with (`TasteMeasurement.Measured.evidenceKey`).
    let key: EvidenceKey?
    let logger: Logger
    /// The run's `TASTER_DEADLINE`: naming the documents of a check takes at most half of what is
    /// left of it, so the verdict is stored in time whatever the comparison costs.
    let deadline: Deadline

    init(store: any ReportStore, context: TasteContext, key: EvidenceKey?) {
        self.store = store
        layout = context.layout
        policy = context.evidence
        self.key = key
        logger = context.logger
        deadline = context.deadline
    }

    /// Uploads each index (create-only) and records it, or why there is none, in `report`'s checks.
    func store(_ indexes: [String: DocumentIndexOutcome], in report: inout TasteReport) async {
        let log = StepLog(logger: logger)
        if indexes.values.contains(where: { if case .indexed = $0 { true } else { false } }) {
            if let key {
                logger.info("document indexes: field digests keyed with evidence key \(key.id) (from \(key.origin))")
            } else {
                logger.warning(
                    "document indexes hold _ids only: no evidence key is set, so modified documents cannot be named; set TASTER_EVIDENCE_KEY in the app's Secret (openssl rand -base64 32), README \"Which documents changed\""
                )
            }
        }
        for position in report.snapshot.checks.indices {
            let name = report.snapshot.checks[position].name
            guard let outcome = indexes[name] else { continue }
            switch outcome {
            case .skipped(let reason):
                report.snapshot.checks[position].index = DocumentIndexRecord(skipped: reason)
            case .indexed(let index):
                let key = layout.indexKey(check: name, phase: report.phase, run: report.runID)
                do {
                    try await log.run("upload \(store.uri(for: key)) (\(index.documents) documents, \(index.bytes) bytes)") {
                        try await store.put(key, file: index.file, contentType: DocumentIndexFormat.contentType, createOnly: true)
                    }
                    report.snapshot.checks[position].index = .stored(index, at: key)
                } catch {
                    logger.warning("check \"\(name)\": its document index was not stored, the check keeps its value only: \(error)")
                    report.snapshot.checks[position].index = DocumentIndexRecord(skipped: "the index could not be stored: \(error)")
                }
            }
        }
    }

    /// Adds to each comparison whose check keeps an index now what changed since the baseline,
    /// and stores the full lists under `changes/`. `keyProblem` is why the baseline's digests
    /// cannot be reproduced (a damaged `evidenceKey` record): no check then names documents.
    /// `records` is what the log calls them (`Verdict.records`: documents, or PostgreSQL's rows).
    func attach(
        to comparisons: inout [CheckComparison], baseline: TasteReport, post: TasteReport,
        indexes: [String: DocumentIndexOutcome], keyProblem: String? = nil, records: String = "documents"
    ) async {
        let before = Dictionary(baseline.snapshot.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for position in comparisons.indices {
            let name = comparisons[position].name
            guard let outcome = indexes[name] else { continue }
            comparisons[position].evidence = await evidence(
                check: name, baseline: before[name], baselineReport: baseline, outcome: outcome, runID: post.runID,
                keyProblem: keyProblem)
            if let reason = comparisons[position].evidence?.unavailable {
                logger.info("check \"\(name)\": \(records) cannot be named: \(reason)")
            }
        }
    }

    private func evidence(
        check: String, baseline: CheckResult?, baselineReport: TasteReport, outcome: DocumentIndexOutcome, runID: String,
        keyProblem: String?
    ) async -> CheckEvidence {
        guard let baseline else { return .unavailable("the check is not in the baseline") }
        guard let record = baseline.index else {
            return .unavailable(
                baselineReport.schemaVersion < 2
                    ? "the baseline predates evidence (pre.json of schemaVersion \(baselineReport.schemaVersion) has no document index)"
                    : "the baseline kept no document index for this check (it was configured without evidence)")
        }
        if let skipped = record.skipped { return .unavailable("the baseline has no document index: \(skipped)") }
        if let unusable = record.unusable { return .unavailable("in the baseline, \(unusable)") }
        guard let key = record.key, let bytes = record.bytes else { return .unavailable("the baseline's index has no key") }
        let current: LocalDocumentIndex
        switch outcome {
        case .skipped(let reason): return .unavailable("no document index was written now: \(reason)")
        case .indexed(let index): current = index
        }
        if record.keyID != nil, let keyProblem { return .unavailable(keyProblem) }
        if let changed = record.keyChange(to: current.keyID) { return .unavailable(changed) }
        let uri = store.uri(for: key)
        let file: SpoolFile
        do {
            guard let found = try await store.download(key, maxBytes: bytes) else {
                return .unavailable("the baseline's document index \(uri) is missing")
            }
            file = found
        } catch let error as any StoredObjectTooLarge {
            return .unavailable("the baseline's document index \(uri) is larger than the \(bytes) bytes pre.json recorded (replaced?): \(error)")
        } catch {
            return .unavailable("the baseline's document index \(uri) could not be read: \(error)")
        }
        if let mismatch = record.mismatch(of: file, at: uri, report: "pre.json") { return .unavailable(mismatch) }
        let listKey = layout.changesKey(check: check, run: runID)
        do {
            let list = try SpoolWriter(name: "changes")
            var evidence = try DocumentIndexComparison.compare(
                baseline: file, current: current.file, limit: policy.limit, list: list, deadline: Deadline(budget: deadline.remaining / 2))
            let listed = try list.finish()
            guard evidence.hasChanges else { return evidence }
            do {
                try await StepLog(logger: logger).run("upload \(store.uri(for: listKey)) (\(evidence.counts ?? ""))") {
                    try await store.put(listKey, file: listed, contentType: "application/x-ndjson", createOnly: true)
                }
                evidence.list = listKey
            } catch {
                logger.warning("check \"\(check)\": the list of changed documents was not stored (the verdict names the first): \(error)")
            }
            return evidence
        } catch let error as DocumentIndexError {
            return .unavailable("the document indexes cannot be compared: \(error)")
        } catch {
            return .unavailable("the document indexes could not be compared: \(error)")
        }
    }
}
