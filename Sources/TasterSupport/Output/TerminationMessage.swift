import FoundationEssentials

/// Kubernetes shows the contents of `/dev/termination-log` as the container's termination
/// message (`kubectl describe pod`), and Argo CD shows it on the hook: taster writes its one-line
/// summary there when the file exists. `TASTER_TERMINATION_LOG` overrides the path (tests).
package enum TerminationMessage {
    /// The most bytes written: Kubernetes keeps 4096.
    package static let limit = 4000

    package static func write(_ summary: String, environment: Environment = .process) {
        store(SecretRedactor.shared.scrub(summary), environment: environment)
    }

    /// Kubernetes keeps at most 4096 bytes: cut after scrubbing, so a secret cut in two is found.
    private static func store(_ scrubbed: String, environment: Environment) {
        let path = environment["TASTER_TERMINATION_LOG"] ?? "/dev/termination-log"
        let text = String(decoding: scrubbed.utf8.prefix(limit), as: UTF8.self)
        FileIO.overwrite(path, with: Data((text + "\n").utf8))
    }

    /// The termination message of a hook that failed: `taster: ERROR pre-taste (exit 3): ...`.
    package static func write(failure error: any Error, command: String, environment: Environment = .process) {
        var error = error
        if let signal = Interruption.signal { error = InterruptedError(signal: signal) }
        let code = (error as? any TasterError)?.exitCode.rawValue ?? TasterExitCode.dependency.rawValue
        // taster's own words stay legible: only the error's text can hold what a library echoed.
        store("taster: ERROR \(command) (exit \(code)): " + SecretRedactor.shared.scrub("\(error)"), environment: environment)
    }
}
