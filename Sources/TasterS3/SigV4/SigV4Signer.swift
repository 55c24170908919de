import Crypto
import FoundationEssentials
import TasterHTTP

/// AWS Signature Version 4 for S3, as a pure value: the same inputs and timestamp always give
/// the same signature. Each stage is a function of its own, checked in tests against the
/// published AWS test-suite vectors, the S3 documentation's worked examples and botocore:
///
/// 1. `canonicalRequest` — method, S3-encoded path, sorted query, canonical headers, payload hash;
/// 2. `stringToSign` — algorithm, timestamp, credential scope, SHA-256 of the canonical request;
/// 3. `signingKey` — HMAC chain over date, region, service and `aws4_request`;
/// 4. `signature` — HMAC of the string to sign with the signing key, in hex.
///
/// `sign` runs all four for a request and returns the headers to send.
///
/// - SeeAlso: https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
package struct SigV4Signer: Sendable {
    package static let algorithm = "AWS4-HMAC-SHA256"

    package var credentials: SigV4Credentials
    package var region: String
    package var service: String

    package init(credentials: SigV4Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Stage 1's result: the canonical request and its signed-headers list (`host;x-amz-date`).
    package struct CanonicalRequest: Sendable, Equatable {
        package let text: String
        package let signedHeaders: String
    }

    /// The outcome of `sign`: every stage, and the headers to send (with `Authorization`).
    package struct Signature: Sendable {
        package let canonicalRequest: CanonicalRequest
        package let stringToSign: String
        package let signature: String
        package let authorization: String
        package let headers: HTTPHeaders
    }

    // MARK: Stage 1

    /// The canonical request for a path (not yet encoded: `/bucket/my key.json`), query
    /// parameters (not yet encoded), the headers to sign (every one given is signed) and the
    /// payload's SHA-256 in hex.
    package static func canonicalRequest(
        method: String, path: String, query: [(name: String, value: String)],
        headers: HTTPHeaders, payloadHash: String
    ) -> CanonicalRequest {
        let (block, signed) = canonicalHeaders(headers)
        let text = [method.uppercased(), canonicalURI(path), canonicalQuery(query), block, signed, payloadHash]
            .joined(separator: "\n")
        return CanonicalRequest(text: text, signedHeaders: signed)
    }

    /// The path, S3-encoded once and not normalised; an empty path is `/`.
    package static func canonicalURI(_ path: String) -> String {
        if path.isEmpty { return "/" }
        return S3URIEncoding.encodePath(path.hasPrefix("/") ? path : "/" + path)
    }

    /// `name=value` pairs, each side encoded, sorted by name and then value, joined by `&`.
    /// A parameter without a value is `name=`.
    package static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { parameter in
            (S3URIEncoding.encodeQueryComponent(parameter.name), S3URIEncoding.encodeQueryComponent(parameter.value))
        }
        let sorted = encoded.sorted { left, right in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Lower-cased names, sorted; values trimmed with inner runs of spaces collapsed; repeated
    /// headers joined with `,` in order. Returns the block (one `name:value\n` per header) and
    /// the signed-headers list.
    package static func canonicalHeaders(_ headers: HTTPHeaders) -> (block: String, signedHeaders: String) {
        var merged: [String: [String]] = [:]
        for (name, value) in headers {
            merged[name.lowercased().trimmingSpaces(), default: []].append(trimAll(value))
        }
        let names = merged.keys.sorted()
        let block = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        return (block, names.joined(separator: ";"))
    }

    static func trimAll(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value {
            if character == " " || character == "\t" {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(" ") }
                pendingSpace = false
                out.append(character)
            }
        }
        return out
    }

    // MARK: Stage 2

    /// `date/region/service/aws4_request`.
    package func credentialScope(_ timestamp: SigV4Timestamp) -> String {
        "\(timestamp.dateStamp)/\(region)/\(service)/aws4_request"
    }

    package func stringToSign(canonicalRequest: String, timestamp: SigV4Timestamp) -> String {
        [Self.algorithm, timestamp.amzDate, credentialScope(timestamp), Self.sha256Hex(Data(canonicalRequest.utf8))]
            .joined(separator: "\n")
    }

    // MARK: Stage 3

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    package func signingKey(_ timestamp: SigV4Timestamp) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(credentials.secretAccessKey)".utf8))
        for part in [timestamp.dateStamp, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    // MARK: Stage 4

    package func signature(stringToSign: String, timestamp: SigV4Timestamp) -> String {
        Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(timestamp)))
    }

    /// The `Authorization` header's value.
    package func authorization(signedHeaders: String, signature: String, timestamp: SigV4Timestamp) -> String {
        "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(credentialScope(timestamp)), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
    }

    // MARK: All stages

    /// Signs a request the way S3 wants it: adds `x-amz-date`, `x-amz-content-sha256` (the
    /// payload hash) and, with a session token, `x-amz-security-token` to `headers` (which must
    /// include `Host`), signs every header, and returns them with `Authorization` added.
    package func sign(
        method: HTTPMethod, path: String, query: [(name: String, value: String)], headers: HTTPHeaders,
        payloadHash: String, timestamp: SigV4Timestamp
    ) -> Signature {
        var signed = headers
        signed["x-amz-date"] = timestamp.amzDate
        signed["x-amz-content-sha256"] = payloadHash
        if let token = credentials.sessionToken { signed["x-amz-security-token"] = token }
        let canonical = Self.canonicalRequest(
            method: method.rawValue, path: path, query: query, headers: signed,
            payloadHash: payloadHash)
        let toSign = stringToSign(canonicalRequest: canonical.text, timestamp: timestamp)
        let signature = signature(stringToSign: toSign, timestamp: timestamp)
        let authorization = authorization(signedHeaders: canonical.signedHeaders, signature: signature, timestamp: timestamp)
        signed["Authorization"] = authorization
        return Signature(
            canonicalRequest: canonical, stringToSign: toSign, signature: signature,
            authorization: authorization, headers: signed)
    }

    // MARK: Helpers

    package static func sha256Hex(_ data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
