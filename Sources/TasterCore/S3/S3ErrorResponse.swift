/// S3's XML error document: `<Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>`.
///
/// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
public struct S3ErrorResponse: Sendable, Equatable {
    public var code: String
    public var message: String?
    public var requestID: String?
    /// `RequestTimeTooSkewed`: the server's clock and ours, as S3 reports them.
    public var serverTime: String?
    public var requestTime: String?
    /// `PermanentRedirect`/`AuthorizationHeaderMalformed`: where the bucket really is.
    public var region: String?
    public var endpoint: String?

    /// Parses an error document; nil when `body` is not one (empty, HTML from a proxy, …).
    public static func parse(_ body: String) -> S3ErrorResponse? {
        let xml = Substring(body)
        guard let error = S3XML.elements("Error", in: xml).first,
              let code = S3XML.value("Code", in: error), !code.isEmpty else { return nil }
        func text(_ name: String) -> String? {
            S3XML.value(name, in: error).flatMap { $0.isEmpty ? nil : $0 }
        }
        return S3ErrorResponse(code: code, message: text("Message"), requestID: text("RequestId"),
                               serverTime: text("ServerTime"), requestTime: text("RequestTime"),
                               region: text("Region"), endpoint: text("Endpoint"))
    }
}
