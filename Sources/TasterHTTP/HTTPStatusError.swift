import FoundationEssentials
import TasterSupport

/// A streamed request (a Kubernetes watch) answered with a status other than 2xx. Carries the
/// response body (at most 64 KiB) so the caller can read the server's own error document.
package struct HTTPStatusError: TasterError {
    package var service: String
    package var method: String
    /// The URL with user info and query-string secrets masked.
    package var url: String
    package var status: Int
    package var headers: HTTPHeaders
    package var body: Data

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        var snippet = String(decoding: body.prefix(512), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        if body.count > 512 { snippet += "…" }
        return "\(service) \(method) \(url) answered HTTP \(status)" + (snippet.isEmpty ? "" : ": \(snippet)")
    }
}
