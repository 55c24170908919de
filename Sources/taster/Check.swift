import ArgumentParser
import Logging
import TasterSupport

extension Taster {
    struct Check: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .usage, .dependency, .interrupted, .terminated],
            meanings: [
                .pass: "every dependency is reachable and allows what taster does",
                .dependency: "something is wrong: the table says what and what to do",
            ])

        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Test connectivity and permissions to Kubernetes, MongoDB and S3.",
            discussion: """
                For each dependency prints OK or what is wrong and what to do: Kubernetes (may get and patch each workload's scale), MongoDB (authenticates, may read each collection), S3 (bucket reachable; put, get and delete of a probe object). Exits 3 if anything is wrong.

                --show-settings prints every effective setting and where it came from, with passwords, secret keys, tokens and URI user info masked, and exits. `taster help settings` says what each variable means.

                \(exitCodes)
                """
        )

        @OptionGroup(title: "MongoDB") var mongo: MongoOptions
        @OptionGroup(title: "Report store (S3)") var s3: S3Options
        @OptionGroup(title: "Kubernetes") var kubernetes: KubernetesOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Flag(name: .customLong("show-settings"), help: "Print the effective settings (secrets masked) and exit.")
        var showSettings = false

        func run() async throws {
            let settings = try loadSettings { environment in
                mongo.apply(to: &environment)
                s3.apply(to: &environment)
                kubernetes.apply(to: &environment)
                run.apply(to: &environment)
            }
            try await Run.check(settings, showSettings: showSettings)
        }
    }
}
