/// Where an S3 request goes: the URL, the `Host` header and the path that is signed, for
/// path-style (`https://endpoint/bucket/key`) or virtual-hosted (`https://bucket.endpoint/key`)
/// addressing.
struct S3RequestTarget: Sendable, Equatable {
    /// `scheme://host[:port]`, the port left out when it is the scheme's default.
    let origin: String
    /// The `Host` header, signed: exactly what the URL names.
    let host: String
    /// The path before encoding: `/bucket/key`, `/bucket`, `/key` or `/`.
    let path: String

    init(endpoint: S3Endpoint, addressing: S3Settings.Addressing, bucket: String, key: String?) {
        switch addressing {
        case .path:
            host = endpoint.hostAndPort
            path = "/" + bucket + (key.map { "/" + $0 } ?? "")
        case .virtual:
            host = bucket + "." + endpoint.hostAndPort
            path = "/" + (key ?? "")
        }
        origin = endpoint.scheme + "://" + host
    }

    /// The full URL with `query` (already canonical: encoded and sorted) appended.
    func url(query: String) -> String {
        origin + SigV4Signer.canonicalURI(path) + (query.isEmpty ? "" : "?" + query)
    }
}
