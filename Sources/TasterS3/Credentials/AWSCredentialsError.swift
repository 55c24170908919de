import TasterSupport

/// Temporary credentials could not be had (exit 3): which source, what answered, and what to do.
/// The token, the keys and the session token are never in it.
package struct AWSCredentialsError: TasterError {
    package let source: AWSCredentialSource
    package let problem: String
    package let advice: String

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        "S3 credentials from the \(source) could not be had: \(problem); \(advice)"
    }
}
