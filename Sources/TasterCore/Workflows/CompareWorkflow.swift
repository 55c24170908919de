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
    /// How the checks file's filters and pipelines are read.
    package let dialect: any CheckDialect
    package let logger: Logger

    package init(reader: any ReportReader, checksFile: String?, dialect: any CheckDialect, logger: Logger) {
        self.reader = reader
        self.checksFile = checksFile
        self.dialect = dialect
        self.logger = logger
    }

    package struct Outcome: Sendable {
        package let verdict: Verdict
        package let pre: TasteReport
        package let post: TasteReport
    }

    package func run(pre: String, post: String, reportOnly: Bool) async throws -> Outcome {
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
        let verdict = Verdict.make(
            pre: preReport, post: postReport, preKey: pre, postKey: post, reportOnly: reportOnly,
            createdAt: Timestamp.rfc3339(), notes: notes, structurePolicy: structurePolicy)
        return Outcome(verdict: verdict, pre: preReport, post: postReport)
    }

    /// Reads one report, refusing anything larger than a report can be.
    func load(_ location: String) async throws -> TasteReport {
        let data = try await reader.read(location, maxBytes: BaselineResolver.maxReportBytes)
        return try ReportCodec.decode(TasteReport.self, from: data, supported: TasteReport.readableSchemaVersions, source: location)
    }
}
