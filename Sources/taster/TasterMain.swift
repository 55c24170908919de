import ArgumentParser
import FoundationEssentials

#if canImport(Glibc)
import Glibc
import TasterSupport
import TasterMongo
import TasterSettings
#endif

/// Parses the command line, runs the subcommand and turns every outcome into a documented exit
/// code. Usage errors exit 2 (ArgumentParser's default would be 64), and every message passes
/// through the secret redactor on its way out.
@main
enum TasterMain {
    static func main() async {
        // First: a closed or broken standard output never ends a run (SIGPIPE ignored, closed
        // descriptors reopened on /dev/null before anything else can take their numbers).
        StandardStream.prepareProcess()
        MongoRuntime.prepareProcess()
        // Before any other thread: from here on no SIGTERM or SIGINT is lost.
        Interruption.install()
        let arguments = Array(CommandLine.arguments.dropFirst())
        // `taster help settings`: every variable, beside ArgumentParser's `taster help <command>`.
        if arguments == ["help", "settings"] {
            StandardStream.output.write(SettingVariable.helpText + "\n")
            ProcessExit.now(TasterExitCode.pass.rawValue)
        }
        let command: ParsableCommand
        do {
            command = try Taster.parseAsRoot(arguments)
        } catch {
            let code = Taster.exitCode(for: error)
            let message = Taster.fullMessage(for: error)
            if code == .success {
                StandardStream.output.write(message + "\n")
                ProcessExit.now(0)
            }
            StandardStream.error.write(SecretRedactor.shared.scrub(message) + "\n")
            ProcessExit.now(code == .validationFailure ? TasterExitCode.usage.rawValue : code.rawValue)
        }
        // Always _exit: a MongoDB call the run walked away from (SIGTERM, the deadline) may still
        // be inside libmongoc on its thread, and the pool is left to the kernel (ProcessExit).
        ProcessExit.now(await run(command))
    }

    static func run(_ command: ParsableCommand) async -> Int32 {
        do {
            if let asyncCommand = command as? AsyncParsableCommand {
                // SIGTERM/SIGINT cancel the command; cleanup runs, then exit 128+signal.
                let box = CommandBox(asyncCommand)
                try await Interruption.run { try await box.run() }
            } else {
                var command = command
                try command.run()
            }
            return TasterExitCode.pass.rawValue
        } catch let error as any TasterError {
            report("error: \(error.description)")
            return error.exitCode.rawValue
        } catch {
            // Help requests, validation errors and explicit exit codes from ArgumentParser.
            let code = Taster.exitCode(for: error)
            if code == .success {
                StandardStream.output.write(Taster.fullMessage(for: error) + "\n")
                return TasterExitCode.pass.rawValue
            }
            if code == .validationFailure {
                report(Taster.fullMessage(for: error))
                return TasterExitCode.usage.rawValue
            }
            if error is ExitCode { return code.rawValue }
            // Anything else is a failure we did not anticipate: never let it read as 1 ("data changed").
            report("error: unexpected failure: \(error)")
            return TasterExitCode.dependency.rawValue
        }
    }

    static func report(_ message: String) {
        StandardStream.error.write(SecretRedactor.shared.scrub(message) + "\n")
    }
}

/// Carries the parsed command into the task `Interruption.run` starts. The command is used by
/// that one task only.
private final class CommandBox: @unchecked Sendable {
    private var command: AsyncParsableCommand
    init(_ command: AsyncParsableCommand) { self.command = command }
    func run() async throws { try await command.run() }
}
