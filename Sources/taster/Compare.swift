import ArgumentParser
import Logging
import TasterCore
import TasterMongo
import TasterSettings
import TasterSupport

extension Taster {
    struct Compare: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .integrityFailure, .usage, .dependency, .noBaseline, .interrupted, .terminated],
            meanings: [
                .pass: "every check passes its rule (with --report-only: also when data changed)",
                .usage: "usage error, or a report file that does not exist or cannot be read",
                .dependency: "S3 unreachable, denied or timed out",
                .noBaseline: "a report is not JSON, truncated or of an unknown schema, or the first is not a baseline",
            ])

        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "Compare two reports (files or s3://bucket/key URIs) with the configured rules.",
            discussion: """
                Prints the table CHECK PRE POST DELTA RULE RESULT, and the documents lost, added and modified when both reports keep document indexes (next to them, as taster stored them). Rules come from the checks file (TASTER_CHECKS); a check without a rule must be equal. Reads the reports only: no MongoDB, no Kubernetes, nothing uploaded.

                \(exitCodes)
                """
        )

        @Argument(help: "The baseline report: a file or s3://bucket/key.")
        var pre: String

        @Argument(help: "The report to compare with it: a file or s3://bucket/key.")
        var post: String

        @OptionGroup(title: "Rules") var checks: ChecksOptions
        @OptionGroup(title: "S3 (for s3:// reports)") var s3: S3ConnectionOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Flag(name: .customLong("report-only"), help: "Report every difference but exit 0 (for tuning rules).")
        var reportOnly = false

        @Option(help: "Print the comparison as a table or json.")
        var output: OutputFormat = .table

        @Option(help: ArgumentHelp("Also write the verdict as a self-contained HTML page to this file.", valueName: "file"))
        var html: String?

        @Option(
            name: .customLong("changes"),
            help: ArgumentHelp(
                "Print every document of this check lost, added or modified (one JSON object a line) instead of the table; both reports must keep its document index.",
                valueName: "check"))
        var changes: String?

        func run() async throws {
            // Two files need nothing but the checks file; an s3:// URI needs the report store's settings.
            let reads = [pre, post].contains { $0.lowercased().hasPrefix("s3://") }
            let settings = try loadSettings(sections: reads ? [.checks, .store] : [.checks]) { environment in
                checks.apply(to: &environment)
                s3.apply(to: &environment)
                run.apply(to: &environment)
            }
            try await Run.compare(settings, pre: pre, post: post, reportOnly: reportOnly, output: output, html: html, changes: changes)
        }
    }
}
