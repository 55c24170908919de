import ArgumentParser
import TasterCore

extension Taster {
    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Measure the database now and print the result; no upload, no scaling.",
            discussion: """
            Counts every collection in TASTER_COLLECTIONS exactly and runs the checks in TASTER_CHECKS, read-only (the built-in `read` role is enough). For a manual debug run in a pod.

            \(TasterExitCode.helpText)
            """
        )

        @OptionGroup(title: "MongoDB") var mongo: MongoOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(help: "Print the snapshot as a table or json.")
        var output: OutputFormat = .table

        func run() async throws {
            throw NotImplementedError(command: "snapshot")
        }
    }
}
