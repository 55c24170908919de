import ArgumentParser
import Logging
import TasterCore
import TasterSupport

extension Taster {
    struct PostTaste: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .integrityFailure, .usage, .dependency, .noBaseline, .interrupted, .terminated],
            meanings: [
                .pass: "pass (with --report-only: also when data changed)",
                .dependency: "a dependency failed (Kubernetes, MongoDB or S3), or the restore did",
            ])

        static let configuration = CommandConfiguration(
            commandName: "post-taste",
            abstract: "PostSync hook: snapshot again, compare with the baseline, upload the verdict, restore replicas.",
            discussion: """
                Steps:
                  1. find the baseline: --run-id, else <prefix>/latest-pre.json; exit 4
                     when it is missing, unreadable, of an unknown schemaVersion,
                     already used, or older than TASTER_MAX_BASELINE_AGE
                  2. wait until the workloads are ready (the sync may have rolled pods),
                     then for MongoDB
                  3. snapshot, upload post.json, compare, upload verdict.json
                  4. restore the replicas recorded in the baseline, even when a step
                     failed (unless --keep-running)
                  5. print the table; exit 0 on pass, 1 when data changed beyond a rule

                \(exitCodes)
                """
        )

        @OptionGroup(title: "MongoDB") var mongo: MongoOptions
        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(name: .customLong("run-id"), help: "Compare with this run's baseline instead of latest-pre.json (TASTER_RUN_ID).")
        var runID: String?

        @Option(name: .customLong("max-baseline-age"), help: settingHelp("Refuse a baseline older than this", "TASTER_MAX_BASELINE_AGE", valueName: "duration"))
        var maxBaselineAge: String?

        @Flag(name: .customLong("keep-running"), help: "Do not restore the replicas afterwards (for debugging).")
        var keepRunning = false

        @Flag(name: .customLong("report-only"), help: "Report every difference but exit 0 unless a dependency failed (for tuning rules).")
        var reportOnly = false

        @Option(help: "Print the comparison as a table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let settings = try loadSettings(hook: .postTaste) { environment in
                mongo.apply(to: &environment)
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
                environment.override("TASTER_MAX_BASELINE_AGE", with: maxBaselineAge, flag: "--max-baseline-age")
            }
            try await Run.postTaste(settings, runID: runID, keepRunning: keepRunning, reportOnly: reportOnly, output: output)
        }
    }
}
