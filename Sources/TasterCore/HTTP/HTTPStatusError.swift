import FoundationEssentials

/// A streamed request (a Kubernetes watch) answered with a status other than 2xx. Carries the
/// response body (at most 64 KiB) so the caller can read the server's own error document.
public struct HTTPStatusError: TasterError {
    public var service: String
    public var method: String
    /// The URL with user info and query-string secrets masked.
    public var url: String
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data

    public var exitCode: TasterExitCode { .dependency }

    public var description: String {
        var snippet = String(decoding: body.prefix(512), as: UTF8.self)
            .split(whereSeparator: \.isNewline).joined(separator: " ")
        if body.count > 512 { snippet += "…" }
        return "\(service) \(method) \(url) answered HTTP \(status)" + (snippet.isEmpty ? "" : ": \(snippet)")
    }
}
