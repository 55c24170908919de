import FoundationEssentials

/// A complete, buffered HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: Data
    /// Which attempt produced this response (1 when it was not retried).
    public var attempts: Int

    public init(status: Int, headers: HTTPHeaders, body: Data, attempts: Int = 1) {
        self.status = status
        self.headers = headers
        self.body = body
        self.attempts = attempts
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}
