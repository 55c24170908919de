import ArgumentParser
import Logging
import TasterCore

extension Taster {
    struct PostTaste: AsyncParsableCommand {
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

            \(TasterExitCode.helpText([.pass, .integrityFailure, .usage, .dependency, .noBaseline, .interrupted, .terminated], meanings: [
                .pass: "pass (with --report-only: also when data changed)",
                .dependency: "a dependency failed (Kubernetes, MongoDB or S3), or the restore did",
            ]))
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
            let settings = try loadSettings(hook: "post-taste") { environment in
                mongo.apply(to: &environment)
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
                environment.override("TASTER_MAX_BASELINE_AGE", with: maxBaselineAge, flag: "--max-baseline-age")
            }
            let logger = Logger(label: "taster")
            let taste: TasteRun
            let outcome: PostTasteWorkflow.Outcome
            do {
                taste = try TasteRun.prepare(settings: settings, needs: .database, deadline: Deadline(budget: settings.deadline), logger: logger)
            } catch {
                TerminationMessage.write(failure: error, command: "post-taste")
                throw error
            }
            let announcer = ResultAnnouncer(settings: settings, kubernetes: taste.kubernetes, logger: logger)
            do {
                let identity = await taste.identity(explicit: runID, fallback: .baselinePointer)
                let options = PostTasteWorkflow.Options(runID: identity.id, maxBaselineAge: settings.maxBaselineAge,
                                                        keepRunning: keepRunning, reportOnly: reportOnly)
                outcome = try await PostTasteWorkflow(context: taste.context, options: options, workloads: taste.workloads,
                                                      database: taste.database!, store: taste.store).run()
                try Interruption.check()
            } catch {
                TerminationMessage.write(failure: error, command: "post-taste")
                await announcer.announce(.error(summary: "taster: ERROR post-taste \(taste.context.app): \(error)", runID: nil), app: taste.context.app)
                throw error
            }
            await announcer.announce(.verdict(outcome.verdict, reportURIs: outcome.reportURIs), app: taste.context.app)
            try printVerdict(outcome.verdict, output: output)
            TerminationMessage.write(outcome.summary)
            if !outcome.restoreProblems.isEmpty {
                StandardStream.error.write("error: \(RestoreFailedError(problems: outcome.restoreProblems))\n")
            }
            if outcome.exitCode != .pass { throw ExitCode(outcome.exitCode.rawValue) }
        }
    }
}
