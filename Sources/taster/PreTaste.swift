import ArgumentParser
import Logging
import TasterCore
import TasterSupport

extension Taster {
    struct PreTaste: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .usage, .dependency, .interrupted, .terminated],
            meanings: [
                .pass: "the baseline is stored; the workloads are left up for the sync",
                .usage: "usage or configuration error, or a run id used before (nothing was touched)",
                .dependency: "a dependency failed (Kubernetes, MongoDB or S3); the replicas were put back",
            ])

        static let configuration = CommandConfiguration(
            commandName: "pre-taste",
            abstract: "PreSync hook: scale up, wait until ready, snapshot MongoDB and upload the baseline.",
            discussion: """
                Steps, each logged with its duration:
                  1. validate settings (exit 2 before anything is touched)
                  2. read the replicas of TASTER_WORKLOADS, scale them to their targets
                  3. wait until they are really ready (TASTER_READY_TIMEOUT),
                     then for MongoDB (TASTER_MONGO_WAIT)
                  4. snapshot: exact counts of TASTER_COLLECTIONS and TASTER_CHECKS
                  5. upload <prefix>/runs/<run-id>/pre.json (create-only),
                     then the pointer <prefix>/latest-pre.json
                Any failure exits non-zero and leaves no latest-pre.json pointing at a partial run.

                \(exitCodes)
                """
        )

        @OptionGroup(title: "MongoDB") var mongo: MongoOptions
        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(name: .customLong("run-id"), help: settingHelp("Identifier of this run in report keys", "TASTER_RUN_ID"))
        var runID: String?

        @Option(help: "Print the summary as a table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            let settings = try loadSettings(hook: .preTaste) { environment in
                mongo.apply(to: &environment)
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
                environment.override("TASTER_RUN_ID", with: runID, flag: "--run-id")
            }
            try await Run.preTaste(settings, output: output)
        }
    }
}
