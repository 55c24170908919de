/// An error taster reports to a person: what failed, on which host or object, and what to try.
///
/// Descriptions never contain secrets; `SecretRedactor` scrubs them once more before printing.
package protocol TasterError: Error, CustomStringConvertible, Sendable {
    /// The exit code this error ends the process with.
    var exitCode: TasterExitCode { get }
}
