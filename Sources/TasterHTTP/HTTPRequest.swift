import FoundationEssentials

/// One HTTP request: what `HTTPClient` sends, once per attempt.
package struct HTTPRequest: Sendable {
    package var method: HTTPMethod
    /// An absolute `http` or `https` URL, already percent-encoded as it must go on the wire
    /// (libcurl sends the path as is: `CURLOPT_PATH_AS_IS`).
    package var url: String
    package var headers: HTTPHeaders
    /// The request body, sent with a `Content-Length`; nil sends none.
    package var body: Data?
    /// The longest this one attempt may take, start to end; nil uses the client's
    /// `requestTimeout`. Always cut to what is left of the run's deadline.
    package var timeout: Duration?
    /// The most response-body bytes to accept; nil uses the client's `maxResponseBytes`.
    /// A larger response is refused without being read into memory.
    package var maxResponseBytes: Int?
    /// The URL is a secret as a whole (a chat webhook's carries its token in the path or the
    /// query): messages show only its scheme, host and port.
    package var urlIsSecret = false

    package init(
        method: HTTPMethod, url: String, headers: HTTPHeaders = [:], body: Data? = nil,
        timeout: Duration? = nil, maxResponseBytes: Int? = nil
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
    }
}

extension HTTPRequest {
    /// The URL as messages show it: by `URLDisplay`'s allow-list.
    package var shownURL: String { urlIsSecret ? URLDisplay.origin(url) : URLDisplay.show(url) }
}
