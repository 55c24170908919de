/// S3's XML error document: `<Error><Code>NoSuchKey</Code><Message>…</Message>…</Error>`.
///
/// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
package struct S3ErrorResponse: Sendable, Equatable {
    package var code: String
    package var message: String?
    package var requestID: String?
    /// `RequestTimeTooSkewed`: the server's clock and ours, as S3 reports them.
    package var serverTime: String?
    package var requestTime: String?
    /// `PermanentRedirect`/`AuthorizationHeaderMalformed`: where the bucket really is.
    package var region: String?
    package var endpoint: String?

    /// Parses an error document; nil when `body` is not one (empty, HTML from a proxy, …).
    package static func parse(_ body: String) -> S3ErrorResponse? {
        let xml = Substring(body)
        guard let error = S3XML.elements("Error", in: xml).first,
            let code = S3XML.value("Code", in: error), !code.isEmpty
        else { return nil }
        func text(_ name: String) -> String? {
            S3XML.value(name, in: error).flatMap { $0.isEmpty ? nil : $0 }
        }
        return S3ErrorResponse(
            code: code, message: text("Message"), requestID: text("RequestId"),
            serverTime: text("ServerTime"), requestTime: text("RequestTime"),
            region: text("Region"), endpoint: text("Endpoint"))
    }
}
