import FoundationEssentials
import Logging
import TasterSupport

/// `taster compare PRE POST`: compares two reports, each a file or an `s3://bucket/key` URI,
/// with the rules recorded in the post report, or — when a checks file is given (`--checks`,
/// `TASTER_CHECKS`) — with the file's rules, severities and `allowMissing`, saying which differ
/// from the recorded ones. It only reads the file: no database is needed.
package struct CompareWorkflow: Sendable {
    package let reader: any ReportReader
    /// The checks file whose rules judge the reports, if any.
    package let checksFile: String?
    /// How the checks file's filters and pipelines are read, for the engine the reports were
    /// taken on (their recorded server version), whatever database the settings name.
    package let dialects: @Sendable (CheckLanguage) -> any CheckDialect
    package let logger: Logger
    /// `TASTER_DEADLINE`: naming a check's documents takes at most half of what is left of it.
    package let deadline: Deadline

    package init(
        reader: any ReportReader, checksFile: String?, dialects: @escaping @Sendable (CheckLanguage) -> any CheckDialect, logger: Logger,
        deadline: Deadline = Deadline(budget: .seconds(900))
    ) {
        self.reader = reader
        self.checksFile = checksFile
        self.dialects = dialects
        self.logger = logger
        self.deadline = deadline
    }

    package struct Outcome: Sendable {
        package let verdict: Verdict
        package let pre: TasteReport
        package let post: TasteReport
        /// `--changes CHECK`: every change of that check, one JSON object a line.
        package var changes: SpoolFile? = nil
    }

    /// Compares the reports; with `changesOf`, also keeps the full list of that check's changed
    /// documents (it must keep a document index in both reports).
    package func run(
        pre: String, post: String, reportOnly: Bool, changesOf: String? = nil, evidenceLimit: Int = EvidencePolicy.defaultLimit
    ) async throws -> Outcome {
        var preReport = try await load(pre)
        var postReport = try await load(post)
        guard preReport.phase == .pre else {
            throw NoBaselineError(message: "\(pre) is a \(preReport.phase.rawValue) report; give the baseline (pre.json) first")
        }
        let preProblems = preReport.problems(for: .comparison)
        guard preProblems.isEmpty else {
            throw NoBaselineError(message: "the baseline \(pre) cannot be used: \(preProblems.joined(separator: "; "))")
        }
        let postProblems = postReport.problems(for: .comparison)
        guard postProblems.isEmpty else {
            throw ReportDecodingError(source: post, problem: .invalid(postProblems.joined(separator: "; ")))
        }
        var notes: [String] = []
        var structurePolicy: StructurePolicy?
        if let file = checksFile {
            let dialect = dialects(postReport.snapshot.language)
            // Checks without `database:` measure the reports' database, whatever TASTER_DATABASE says.
            let checks = try ChecksFile.load(path: file, defaultDatabase: postReport.snapshot.database, dialect: dialect)
            let applied = try ChecksFileRules(file: file, checks: checks, dialect: dialect)
                .apply(pre: &preReport.snapshot, post: &postReport.snapshot)
            notes = applied.notes(file: file)
            // The file's `structure:` rules replace the recorded ones (the defaults without one).
            let policy = try ChecksFile.loadStructure(path: file)
            if postReport.inventory != nil, policy != postReport.inventory?.policy {
                notes.append("structure rules from \(file) instead of the ones recorded in the report")
            }
            structurePolicy = policy
            logger.info("\(notes.joined(separator: "; "))")
        }
        var verdict = Verdict.make(
            pre: preReport, post: postReport, preKey: pre, postKey: post, reportOnly: reportOnly,
            createdAt: Timestamp.rfc3339(), notes: notes, structurePolicy: structurePolicy)
        if let changesOf, !verdict.checks.contains(where: { $0.name == changesOf }) {
            throw CompareChangesError(message: "--changes \(changesOf): the reports have no check of that name")
        }
        var changes: SpoolFile?
        for position in verdict.checks.indices {
            let name = verdict.checks[position].name
            guard let before = preReport.snapshot.checks.first(where: { $0.name == name })?.index,
                let after = postReport.snapshot.checks.first(where: { $0.name == name })?.index
            else {
                if name == changesOf {
                    throw CompareChangesError(
                        message:
                            "--changes \(name): the check has no document index in both reports (a fingerprint, or a count with evidence: documents, of reports of schemaVersion 2)"
                    )
                }
                continue
            }
            let (evidence, list) = await compare(check: name, before: before, after: after, pre: pre, post: post, limit: evidenceLimit)
            verdict.checks[position].evidence = evidence
            if name == changesOf {
                guard let list else { throw CompareChangesError(message: "--changes \(name): documents cannot be named: \(evidence.unavailable ?? "")") }
                changes = list
            }
        }
        verdict.summarizeAgain()
        return Outcome(verdict: verdict, pre: preReport, post: postReport, changes: changes)
    }

    /// One check's documents, from the indexes next to the reports (`index/<phase>/<check>.tidx`
    /// in the run's folder, where taster stored them, or a copy of that folder).
    private func compare(
        check: String, before: DocumentIndexRecord, after: DocumentIndexRecord, pre: String, post: String, limit: Int
    ) async -> (CheckEvidence, SpoolFile?) {
        func fetch(_ record: DocumentIndexRecord, beside report: String, side: String) async -> (SpoolFile?, String?) {
            if let unusable = record.unusable { return (nil, "in \(side), \(unusable)") }
            guard let key = record.key, let bytes = record.bytes, let marker = key.firstRange(of: "/index/") else {
                return (nil, "in \(side), the document index has no key")
            }
            let folder = FileIO.directory(of: report)
            let location = (folder.isEmpty ? "." : folder) + String(key[marker.lowerBound...])
            do {
                // A part at a time into a spool file: an index can be far larger than memory wants.
                let file = try await reader.download(location, maxBytes: bytes)
                if let mismatch = record.mismatch(of: file, at: location, report: side) { return (nil, mismatch) }
                return (file, nil)
            } catch {
                return (nil, "the document index \(location) could not be read: \(error)")
            }
        }
        if before.unusable == nil, after.unusable == nil, let changed = before.keyChange(to: after.keyID, now: post) {
            return (.unavailable(changed), nil)
        }
        let (baseline, first) = await fetch(before, beside: pre, side: pre)
        guard let baseline else { return (.unavailable(first ?? ""), nil) }
        let (current, second) = await fetch(after, beside: post, side: post)
        guard let current else { return (.unavailable(second ?? ""), nil) }
        do {
            let writer = try SpoolWriter(name: "changes")
            let evidence = try DocumentIndexComparison.compare(
                baseline: baseline, current: current, limit: limit, list: writer, deadline: Deadline(budget: deadline.remaining / 2))
            return (evidence, try writer.finish())
        } catch {
            return (.unavailable("the document indexes cannot be compared: \(error)"), nil)
        }
    }

    /// Reads one report, refusing anything larger than a report can be.
    func load(_ location: String) async throws -> TasteReport {
        let data = try await reader.read(location, maxBytes: BaselineResolver.maxReportBytes)
        return try ReportCodec.decode(TasteReport.self, from: data, supported: TasteReport.readableSchemaVersions, source: location)
    }
}

/// `taster compare --changes CHECK` cannot list that check's changes. Exit 2.
package struct CompareChangesError: TasterError {
    package let message: String
    package var exitCode: TasterExitCode { .usage }
    package var description: String { message }
}
