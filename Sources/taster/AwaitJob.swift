import ArgumentParser
import Logging
import TasterSupport

extension Taster {
    struct AwaitJob: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .integrityFailure, .usage, .dependency, .interrupted, .terminated],
            meanings: [
                .pass: "the Job succeeded",
                .integrityFailure: "the Job failed (it is kept for debugging)",
                .dependency: "Kubernetes API error, --timeout reached, or the succeeded Job could not be deleted",
            ])

        static let configuration = CommandConfiguration(
            commandName: "await-job",
            abstract: "Wait for a Kubernetes Job, stream its logs, and fail when it fails (a CI step).",
            discussion: """
                Watches the Job until it is Complete or Failed, streaming its pods' container logs as they run (prefixed with pod/container) on standard output.

                By default a succeeded Job is deleted (so the next `kubectl apply` creates it again) and a failed one is kept for debugging.

                \(exitCodes)
                """
        )

        @Argument(help: "Name of the Job.")
        var name: String

        @Option(help: settingHelp("Namespace of the Job", "TASTER_NAMESPACE"))
        var namespace: String?

        @Option(help: settingHelp("kubeconfig context to use instead of current-context", "TASTER_KUBE_CONTEXT"))
        var context: String?

        @Option(help: ArgumentHelp("Give up after this long (exit 3).", valueName: "duration"))
        var timeout: String = "30m"

        @Flag(help: "Keep the Job even when it succeeded.")
        var keep = false

        @Flag(name: .customLong("delete-on-success"), help: "Delete the Job when it succeeded (the default).")
        var deleteOnSuccess = false

        @Option(name: .customLong("log-format"), help: settingHelp("Log lines as text or json", "TASTER_LOG_FORMAT", valueName: "format"))
        var logFormat: String?

        func validate() throws {
            if keep && deleteOnSuccess {
                throw ValidationError("--keep and --delete-on-success contradict each other; give one")
            }
            if DurationParser.parse(timeout) == nil {
                throw ValidationError("--timeout \"\(timeout)\" is not a duration (for example --timeout 30m)")
            }
        }

        func run() async throws {
            let settings = try loadSettings(sections: [.kubernetes]) { environment in
                environment.override("TASTER_NAMESPACE", with: namespace, flag: "--namespace")
                environment.override("TASTER_KUBE_CONTEXT", with: context, flag: "--context")
                environment.override("TASTER_LOG_FORMAT", with: logFormat, flag: "--log-format")
            }
            try await Run.awaitJob(settings, job: name, timeout: DurationParser.parse(timeout) ?? .seconds(1800), keep: keep)
        }
    }
}
