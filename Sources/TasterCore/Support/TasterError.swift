/// An error taster reports to a person: what failed, on which host or object, and what to try.
///
/// Descriptions never contain secrets; `SecretRedactor` scrubs them once more before printing.
public protocol TasterError: Error, CustomStringConvertible, Sendable {
    /// The exit code this error ends the process with.
    var exitCode: TasterExitCode { get }
}

/// A capability that has not landed yet: exits 2 and never fakes output.
public struct NotImplementedError: TasterError {
    public let command: String
    public init(command: String) { self.command = command }
    public var exitCode: TasterExitCode { .usage }
    public var description: String { "taster \(command): not implemented yet" }
}
