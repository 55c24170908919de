import ArgumentParser
import Logging
import TasterCore

extension Taster {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "SyncFail hook: scale the workloads back to the replicas recorded in the latest baseline.",
            discussion: """
            Reads <prefix>/latest-pre.json (or the pre.json of --run-id) and scales every workload it recorded back to its replicas from before pre-taste. Safe to run more than once.

            \(TasterExitCode.helpText([.pass, .usage, .dependency, .noBaseline, .interrupted, .terminated], meanings: [
                .pass: "the workloads are back at the replicas recorded in the baseline",
                .dependency: "a dependency failed (Kubernetes or S3), or a workload could not be scaled back",
                .noBaseline: "no usable baseline to restore from",
            ]))
            """
        )

        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesAccessOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(name: .customLong("run-id"), help: "Restore from this run's baseline instead of latest-pre.json (TASTER_RUN_ID).")
        var runID: String?

        func run() async throws {
            let settings = try loadSettings(hook: "restore") { environment in
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
            }
            let logger = Logger(label: "taster")
            do {
                let taste = try TasteRun.prepare(settings: settings, needs: .kubernetes, deadline: Deadline(budget: settings.deadline), logger: logger)
                let identity = await taste.identity(explicit: runID, fallback: .baselinePointer)
                let outcome = try await RestoreWorkflow(context: taste.context, runID: identity.id, workloads: taste.workloads!, store: taste.store).run()
                try Interruption.check()
                StandardStream.output.writeScrubbed(outcome.summary + "\n")
                TerminationMessage.write(outcome.summary)
            } catch {
                TerminationMessage.write(failure: error, command: "restore")
                throw error
            }
        }
    }
}
