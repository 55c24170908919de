import Crypto
import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// The report store's client: PutObject, GetObject, HeadObject, ListObjectsV2 and DeleteObject
/// against any S3-compatible endpoint, signed with `SigV4Signer`, sent with `HTTPClient`, retried
/// under `RetryPolicy.s3(budget:)` (`TASTER_S3_RETRY_BUDGET`) and bounded by the run's `Deadline`.
///
/// Every S3 error answer becomes an `S3Error` (exit 3) naming the operation, the object, S3's
/// code and what to do; failures without an answer are `HTTPError`s. Each operation takes an
/// optional `bucket` for objects outside the configured one (`s3://` URIs).
package final class S3Client: Sendable {
    package let endpoint: S3Endpoint
    package let bucket: String
    package let addressing: S3Settings.Addressing
    package let region: String
    /// Where the signing keys come from; shared by every request of the client (and so by the
    /// report store), refreshed before temporary keys expire.
    package let credentials: AWSCredentialsProvider
    let http: HTTPClient
    let deadline: Deadline
    let logger: Logger
    let retry: RetryPolicy
    let now: @Sendable () -> Date

    /// A client for `settings` (validated by `Settings.requireS3()`), with its own HTTP client.
    package convenience init(settings: S3Settings, deadline: Deadline, logger: Logger) throws(ConfigurationError) {
        let http = HTTPClient(configuration: Self.httpConfiguration(for: settings), logger: logger)
        try self.init(settings: settings, deadline: deadline, logger: logger, http: http)
    }

    /// A client sending through `http` (tests pin host names with `CURLOPT_RESOLVE` there),
    /// retrying under `retry`, signing with the time `now` gives.
    package init(
        settings: S3Settings, deadline: Deadline, logger: Logger, http: HTTPClient,
        retry: RetryPolicy? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) throws(ConfigurationError) {
        guard let bucket = settings.bucket, let source = settings.credentialSource else {
            var problems: [ConfigurationProblem] = []
            if settings.bucket == nil {
                problems.append(.init(variable: "TASTER_BUCKET", problem: "is not set: reports need a bucket", example: "TASTER_BUCKET=taster-reports"))
            }
            if settings.credentialSource == nil {
                problems += S3Settings.missingCredentials
            }
            throw ConfigurationError(problems)
        }
        let endpoint = settings.effectiveEndpoint
        if settings.addressing == .virtual && Self.isIPAddress(endpoint.host) {
            throw ConfigurationError(
                variable: "TASTER_S3_ADDRESSING",
                problem: "is virtual, but the endpoint \(endpoint) is an IP address: bucket host names need a DNS name",
                example: "TASTER_S3_ADDRESSING=path")
        }
        self.endpoint = endpoint
        self.bucket = bucket
        self.addressing = settings.addressing
        self.region = settings.region
        self.credentials = AWSCredentialsProvider(
            source: source, http: HTTPClient(configuration: AWSCredentialsProvider.httpConfiguration(caBundle: settings.caBundle), logger: logger),
            logger: logger, now: now)
        self.http = http
        self.deadline = deadline
        self.logger = logger
        self.retry = retry ?? .s3(budget: settings.retryBudget)
        self.now = now
    }

    /// The HTTP settings S3 uses: `AWS_CA_BUNDLE` as the trusted CA, and advice that names it.
    package static func httpConfiguration(for settings: S3Settings) -> HTTPClientConfiguration {
        HTTPClientConfiguration(
            serviceName: "S3",
            tlsVerificationAdvice: settings.caBundle == nil
                ? "set AWS_CA_BUNDLE to the CA that signed the endpoint's certificate"
                : "AWS_CA_BUNDLE (\(settings.caBundle!)) does not hold the CA that signed the endpoint's certificate; set it to that CA",
            tls: TLSConfiguration(certificateAuthority: settings.caBundle.map { .file($0) }),
            connectTimeout: .seconds(10),
            requestTimeout: .seconds(60),
            maxResponseBytes: 16 << 20)
    }

    // MARK: - Operations

    /// Stores `data` at `key`. With `createOnly`, refuses (S3Error `PreconditionFailed`) when an
    /// object is already there: checked first with HEAD, then enforced by `If-None-Match: *`.
    /// Sends `Content-MD5`, and the payload's SHA-256 is signed, so the server verifies both.
    /// Returns the ETag.
    @discardableResult
    package func put(
        key: String, data: Data, contentType: String = "application/json", createOnly: Bool,
        bucket: String? = nil
    ) async throws -> String? {
        let bucket = bucket ?? self.bucket
        if createOnly, try await head(key: key, bucket: bucket) != nil {
            throw S3Error(
                operation: "PutObject", bucket: bucket, key: key, endpoint: endpoint.description, status: 412,
                code: "PreconditionFailed", message: "a HEAD found an object at this key; nothing was written", requestID: nil,
                accessKeyID: credentials.staticCredentials?.accessKeyID ?? "(temporary)", region: region)
        }
        var headers: HTTPHeaders = ["Content-Type": contentType]
        headers["Content-MD5"] = Data(Insecure.MD5.hash(data: data)).base64EncodedString()
        if createOnly { headers["If-None-Match"] = "*" }
        do {
            let response = try await send("PutObject", .put, bucket: bucket, key: key, headers: headers, body: data)
            return S3ObjectInfo.unquoted(response.headers["ETag"])
        } catch let error as S3Error where error.code == "PreconditionFailed" {
            // The HEAD found nothing, so an earlier send of this very request may have stored the
            // object before its answer was lost — a retry of ours, or libcurl's own silent resend
            // on a fresh connection when a reused one dies (one attempt as we count them). That is
            // success when what is there now is exactly what we sent.
            let stored = try? await get(key: key, maxBytes: data.count, bucket: bucket)
            guard stored == data else { throw error }
            logger.info("S3 PutObject of s3://\(bucket)/\(key): an earlier attempt had already stored it")
            return nil
        }
    }

    /// The object at `key`, refusing (`S3ObjectTooLargeError`) one larger than `maxBytes`
    /// without reading it into memory.
    package func get(key: String, maxBytes: Int, bucket: String? = nil) async throws -> Data {
        let bucket = bucket ?? self.bucket
        do {
            // Room for an XML error answer even when the caller's limit is tiny.
            let response = try await send("GetObject", .get, bucket: bucket, key: key, maxResponseBytes: max(maxBytes, 64 << 10))
            guard response.body.count <= maxBytes else {
                throw S3ObjectTooLargeError(bucket: bucket, key: key, limit: maxBytes, size: Int64(response.body.count))
            }
            return response.body
        } catch let error as HTTPError {
            if case .responseTooLarge(_, let declared) = error.kind {
                throw S3ObjectTooLargeError(bucket: bucket, key: key, limit: maxBytes, size: declared)
            }
            throw error
        }
    }

    /// `get` for an `s3://bucket/key` URI.
    package func get(_ uri: S3URI, maxBytes: Int) async throws -> Data {
        try await get(key: uri.key, maxBytes: maxBytes, bucket: uri.bucket)
    }

    /// What is stored at `key`, or nil when nothing is (HTTP 404 — which, HEAD answers having no
    /// body, does not tell a missing key from a missing bucket: `exists`, `get` or `put` will).
    package func head(key: String, bucket: String? = nil) async throws -> S3ObjectInfo? {
        let bucket = bucket ?? self.bucket
        let response: HTTPResponse
        do {
            response = try await send("HeadObject", .head, bucket: bucket, key: key, accepting: [404])
        } catch let error as S3Error where error.response == nil && (400..<500).contains(error.status) {
            throw await explained(error)
        }
        guard response.status != 404 else { return nil }
        return S3ObjectInfo(
            key: key, size: Int64(response.headers["Content-Length"] ?? "") ?? 0,
            etag: S3ObjectInfo.unquoted(response.headers["ETag"]),
            lastModified: response.headers["Last-Modified"], contentType: response.headers["Content-Type"])
    }

    /// Whether an object is stored at `key`: a GET of its first byte, whose answer — unlike a
    /// HEAD's — says why it failed, so a missing bucket, a refused signature, an unknown key or a
    /// skewed clock are told apart from "no object" by the first request of a run.
    package func exists(key: String, bucket: String? = nil) async throws -> Bool {
        let bucket = bucket ?? self.bucket
        do {
            // 416: an empty object has no first byte, but it is there.
            _ = try await send(
                "HeadObject", .get, bucket: bucket, key: key, headers: ["Range": "bytes=0-0"],
                maxResponseBytes: 64 << 10, accepting: [416])
            return true
        } catch let error as S3Error where error.code == "NoSuchKey" {
            return false
        } catch let error as HTTPError {
            // A store that ignores Range sends the whole object: it is there.
            if case .responseTooLarge = error.kind { return true }
            throw error
        }
    }

    /// A refused HEAD is a bare status: SignatureDoesNotMatch, InvalidAccessKeyId,
    /// RequestTimeTooSkewed and a missing permission are all "403". Asks again with a GET of one
    /// byte, whose answer carries S3's error document, and returns that error (still the HEAD's
    /// operation); the HEAD's own when the GET tells nothing more.
    func explained(_ error: S3Error) async -> S3Error {
        do {
            _ = try await send(
                error.operation, .get, bucket: error.bucket, key: error.key, headers: ["Range": "bytes=0-0"],
                maxResponseBytes: 64 << 10)
        } catch let detailed as S3Error where detailed.response != nil {
            return detailed
        } catch {}
        return error
    }

    /// Every object whose key starts with `prefix`, in key order, following continuation tokens
    /// across pages (at most `pageSize` keys per page; the server's default, 1,000, when nil).
    package func list(prefix: String, bucket: String? = nil, pageSize: Int? = nil) async throws -> [S3ObjectInfo] {
        let bucket = bucket ?? self.bucket
        var objects: [S3ObjectInfo] = []
        var token: String?
        for _ in 0..<100_000 {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", prefix)]
            if let pageSize { query.append(("max-keys", String(pageSize))) }
            if let token { query.append(("continuation-token", token)) }
            let response = try await send("ListObjectsV2", .get, bucket: bucket, key: nil, query: query, errorKey: prefix)
            let page = try ListObjectsV2Page.parse(response.body, bucket: bucket, prefix: prefix, endpoint: endpoint)
            objects += page.objects
            guard page.isTruncated else { return objects }
            token = page.nextContinuationToken
        }
        throw S3ListingError(
            bucket: bucket, prefix: prefix, endpoint: endpoint.description,
            reason: "the listing did not end after 100,000 pages")
    }

    /// Deletes the object at `key` (S3 answers success when there was none).
    package func delete(key: String, bucket: String? = nil) async throws {
        _ = try await send("DeleteObject", .delete, bucket: bucket ?? self.bucket, key: key)
    }

    /// A presigned GET URL for `key` that opens it for `expires` from now (SigV4 query signing).
    /// Only with static keys (nil otherwise): a URL signed with temporary keys would carry the
    /// session token and die with the session.
    package func presignedURL(key: String, expires: Duration, bucket: String? = nil) -> String? {
        guard let keys = credentials.staticCredentials, keys.sessionToken == nil else { return nil }
        let signer = SigV4Signer(credentials: keys, region: region)
        let target = S3RequestTarget(endpoint: endpoint, addressing: addressing, bucket: bucket ?? self.bucket, key: key)
        let presigned = signer.presign(method: .get, host: target.host, path: target.path, expires: expires, timestamp: SigV4Timestamp(now()))
        return target.url(query: presigned.query)
    }

    /// A signer with the static keys (tests sign their own requests with it); empty keys for a
    /// source of temporary credentials.
    var signer: SigV4Signer {
        SigV4Signer(credentials: credentials.staticCredentials ?? SigV4Credentials(accessKeyID: "", secretAccessKey: ""), region: region)
    }

    // MARK: - Sending

    /// Signs (afresh for every attempt), sends under the retry policy, and turns an error answer
    /// into an `S3Error`. Statuses in `accepting` are returned instead.
    func send(
        _ operation: String, _ method: HTTPMethod, bucket: String, key: String?,
        query: [(name: String, value: String)] = [], headers: HTTPHeaders = [:], body: Data? = nil,
        maxResponseBytes: Int? = nil, accepting: Set<Int> = [], errorKey: String? = nil
    ) async throws -> HTTPResponse {
        let target = S3RequestTarget(endpoint: endpoint, addressing: addressing, bucket: bucket, key: key)
        let payloadHash = SigV4Signer.sha256Hex(body ?? Data())
        let canonicalQuery = SigV4Signer.canonicalQuery(query)
        let started = ContinuousClock.now
        let signer = SigV4Signer(credentials: try await credentials.credentials(deadline: deadline), region: region)
        let response = try await http.execute(retry: retry, deadline: deadline) { [now] _ in
            var signedHeaders = headers
            signedHeaders["Host"] = target.host
            let signature = signer.sign(
                method: method, path: target.path, query: query, headers: signedHeaders,
                payloadHash: payloadHash, timestamp: SigV4Timestamp(now()))
            return HTTPRequest(
                method: method, url: target.url(query: canonicalQuery), headers: signature.headers,
                body: body, maxResponseBytes: maxResponseBytes)
        }
        let object = "s3://\(bucket)" + ((key ?? errorKey).map { "/\($0)" } ?? "")
        logger.debug(
            "S3 \(operation) \(object) -> \(response.status)",
            metadata: ["ms": "\(started.duration(to: .now).milliseconds)", "attempts": "\(response.attempts)"])
        if response.isSuccess || accepting.contains(response.status) { return response }
        var parsed = S3ErrorResponse.parse(String(decoding: response.body, as: UTF8.self))
        if parsed?.code == "RequestTimeTooSkewed", parsed?.serverTime == nil {
            // Stores that do not say both times (SeaweedFS) still date their answer.
            parsed?.serverTime = response.headers["Date"].flatMap(HTTPDate.parse).map { Timestamp.rfc3339($0) }
            parsed?.requestTime = Timestamp.rfc3339(now())
        }
        var error = S3Error(
            operation: operation, bucket: bucket, key: key ?? errorKey, endpoint: endpoint.description,
            status: response.status, code: parsed?.code ?? S3Error.code(forStatus: response.status),
            message: parsed?.message, requestID: parsed?.requestID,
            accessKeyID: signer.credentials.accessKeyID, region: signer.region)
        error.attempts = response.attempts
        if case .budget(let budget) = response.retriesStopped { error.spentBudget = budget }
        error.response = parsed
        error.usesSessionToken = signer.credentials.sessionToken != nil
        throw error
    }

    static func isIPAddress(_ host: String) -> Bool {
        host.contains(":") || (!host.isEmpty && host.allSatisfy { $0.isNumber || $0 == "." })
    }
}
