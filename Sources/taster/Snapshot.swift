import ArgumentParser
import FoundationEssentials
import Logging
import TasterSupport

extension Taster {
    struct Snapshot: AsyncParsableCommand {
        /// The exit codes this command ends with, in its own words.
        static let exitCodes = TasterExitCode.helpText(
            [.pass, .usage, .dependency, .interrupted, .terminated],
            meanings: [
                .pass: "the snapshot is printed",
                .dependency: "MongoDB unreachable, denied or timed out",
            ])

        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Measure the database now and print the result; no upload, no scaling.",
            discussion: """
                Counts every collection in TASTER_COLLECTIONS exactly and runs the checks in TASTER_CHECKS, read-only (the built-in `read` role is enough). Waits up to TASTER_MONGO_WAIT for MongoDB to accept connections. For a manual debug run in a pod.

                \(exitCodes)
                """
        )

        @OptionGroup(title: "MongoDB") var mongo: MongoOptions
        @OptionGroup(title: "Run") var run: RunOptions

        @Option(help: "Print the snapshot as a table or json.")
        var output: OutputFormat = .table

        @Flag(help: "Also read and print the database's inventory: every collection, view and index, as the hooks record it.")
        var inventory = false

        @Option(
            name: .customLong("as-of"),
            help: ArgumentHelp("Cut for `asOf: baseline` checks, as a baseline's RFC 3339 time (default: this snapshot's own time).", valueName: "time"))
        var asOf: String?

        func validate() throws {
            if let asOf, Timestamp.parse(asOf) == nil {
                throw ValidationError("--as-of \"\(asOf)\" is not an RFC 3339 time (for example --as-of 2026-11-21T10:00:00Z)")
            }
        }

        func run() async throws {
            let settings = try loadSettings(sections: [.database, .checks]) { environment in
                mongo.apply(to: &environment)
                run.apply(to: &environment)
            }
            try await Run.snapshot(settings, asOf: asOf.flatMap(Timestamp.parse), output: output, inventory: inventory)
        }
    }
}
