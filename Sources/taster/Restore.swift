import ArgumentParser
import TasterCore

extension Taster {
    struct Restore: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "restore",
            abstract: "SyncFail hook: scale the workloads back to the replicas recorded in the latest baseline.",
            discussion: """
            Reads <prefix>/latest-pre.json (or the pre.json of --run-id) and scales every workload it recorded back to its replicas from before pre-taste. Safe to run more than once.

            \(TasterExitCode.helpText)
            """
        )

        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(name: .customLong("run-id"), help: "Restore from this run's baseline instead of latest-pre.json (TASTER_RUN_ID).")
        var runID: String?

        func run() async throws {
            throw NotImplementedError(command: "restore")
        }
    }
}
