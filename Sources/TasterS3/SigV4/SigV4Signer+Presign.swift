import FoundationEssentials
import TasterHTTP

extension SigV4Signer {
    /// The longest a presigned URL may live: SigV4 refuses `X-Amz-Expires` above 7 days.
    package static let maximumPresignExpiry: Duration = .seconds(604_800)

    /// A presigned request's parts: the query to append (canonical, with `X-Amz-Signature` last)
    /// and each stage, for tests.
    package struct Presigned: Sendable {
        package let canonicalRequest: CanonicalRequest
        package let stringToSign: String
        package let signature: String
        /// `X-Amz-Algorithm=…&…&X-Amz-Signature=…`, encoded.
        package let query: String
    }

    /// SigV4 query signing (a presigned URL): the credential, date, expiry and signed headers
    /// (`host` only) go in the query, the payload is `UNSIGNED-PAYLOAD`, and the signature is
    /// appended as `X-Amz-Signature`. With a session token, `X-Amz-Security-Token` is in the
    /// query too (and signed).
    ///
    /// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
    package func presign(
        method: HTTPMethod, host: String, path: String, expires: Duration, timestamp: SigV4Timestamp
    ) -> Presigned {
        var query: [(name: String, value: String)] = [
            ("X-Amz-Algorithm", Self.algorithm),
            ("X-Amz-Credential", "\(credentials.accessKeyID)/\(credentialScope(timestamp))"),
            ("X-Amz-Date", timestamp.amzDate),
            ("X-Amz-Expires", String(expires.components.seconds)),
            ("X-Amz-SignedHeaders", "host"),
        ]
        if let token = credentials.sessionToken { query.append(("X-Amz-Security-Token", token)) }
        let canonical = Self.canonicalRequest(
            method: method.rawValue, path: path, query: query, headers: ["Host": host], payloadHash: "UNSIGNED-PAYLOAD")
        let toSign = stringToSign(canonicalRequest: canonical.text, timestamp: timestamp)
        let signature = signature(stringToSign: toSign, timestamp: timestamp)
        return Presigned(
            canonicalRequest: canonical, stringToSign: toSign, signature: signature,
            query: Self.canonicalQuery(query) + "&X-Amz-Signature=" + signature)
    }
}
