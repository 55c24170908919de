import ArgumentParser
import Logging
import TasterCore
import TasterSupport

extension Taster {
    struct Restore: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .usage, .dependency, .noBaseline, .interrupted, .terminated],
            meanings: [
                .pass: "the workloads are back at the replicas recorded in the baseline",
                .dependency: "a dependency failed (Kubernetes or S3), or a workload could not be scaled back",
                .noBaseline: "no usable baseline to restore from",
            ])

        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "SyncFail hook: scale the workloads back to the replicas recorded in the latest baseline.",
            discussion: """
                Reads <prefix>/latest-pre.json (or the pre.json of --run-id) and scales every workload it recorded back to its replicas from before pre-taste. Safe to run more than once.

                \(exitCodes)
                """
        )

        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesAccessOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(name: .customLong("run-id"), help: "Restore from this run's baseline instead of latest-pre.json (TASTER_RUN_ID).")
        var runID: String?

        func run() async throws {
            let settings = try loadSettings(hook: .restore, sections: [.store, .kubernetes, .metrics]) { environment in
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
            }
            try await Run.restore(settings, runID: runID)
        }
    }
}
