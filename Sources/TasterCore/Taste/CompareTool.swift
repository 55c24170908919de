import FoundationEssentials
import Logging

/// `taster compare PRE POST`: compares two reports, each a file or an `s3://bucket/key` URI,
/// with the rules recorded in the post report, or — when a checks file is given (`--checks`,
/// `TASTER_CHECKS`) — with the file's rules, severities and `allowMissing`, saying which differ
/// from the recorded ones. It only reads the file: MongoDB settings are not needed.
public struct CompareTool: Sendable {
    public let settings: Settings
    public let deadline: Deadline
    public let logger: Logger

    public init(settings: Settings, deadline: Deadline, logger: Logger) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
    }

    public struct Outcome: Sendable {
        public let verdict: Verdict
        public let pre: TasteReport
        public let post: TasteReport
    }

    public func run(pre: String, post: String, reportOnly: Bool) async throws -> Outcome {
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
        if let file = settings.mongo.checksFile {
            // Checks without `database:` measure the reports' database, whatever TASTER_DATABASE says.
            let rules = ChecksFileRules(file: file, checks: try ChecksFile.load(path: file, defaultDatabase: postReport.snapshot.database))
            let applied = try rules.apply(pre: &preReport.snapshot, post: &postReport.snapshot)
            notes = applied.notes(file: file)
            logger.info("\(notes.joined(separator: "; "))")
        }
        let verdict = Verdict.make(pre: preReport, post: postReport, preKey: pre, postKey: post, reportOnly: reportOnly,
                                   createdAt: Timestamp.rfc3339(), notes: notes)
        return Outcome(verdict: verdict, pre: preReport, post: postReport)
    }

    /// Reads one report from a file or an `s3://` URI, refusing anything larger than a report can be.
    func load(_ location: String) async throws -> TasteReport {
        let data: Data
        if S3URI.isS3URI(location) {
            let uri = try S3URI.parse(location).get()
            var s3 = settings.s3
            if s3.bucket == nil { s3.bucket = uri.bucket }
            let client = try S3Client(settings: s3, deadline: deadline, logger: logger)
            data = try await client.get(uri, maxBytes: BaselineResolver.maxReportBytes)
        } else {
            data = try Self.readFile(location, maxBytes: BaselineResolver.maxReportBytes)
        }
        return try ReportCodec.decode(TasteReport.self, from: data, supported: TasteReport.currentSchemaVersion, source: location)
    }

    static func readFile(_ path: String, maxBytes: Int) throws -> Data {
        do {
            return try FileIO.read(path, maxBytes: maxBytes)
        } catch .missing {
            throw ReportFileError(path: path, problem: "does not exist")
        } catch .unreadable(let reason) {
            throw ReportFileError(path: path, problem: "cannot be read: \(reason)")
        } catch .tooLarge {
            throw ReportFileError(path: path, problem: "is larger than \(maxBytes >> 20) MiB, which no taster report is")
        }
    }
}

/// A report file given on the command line cannot be read. Exit 2.
public struct ReportFileError: TasterError {
    public let path: String
    public let problem: String
    public var exitCode: TasterExitCode { .usage }
    public var description: String { "the report \(path) \(problem)" }
}
