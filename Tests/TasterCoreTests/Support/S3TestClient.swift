import Foundation
import Logging

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// S3 clients for the stack's SeaweedFS, logging into a buffer so tests can read every line.
enum S3TestClient {
    /// The stack's settings, with the given credentials and bucket.
    static func settings(accessKeyID: String? = nil, secretAccessKey: String? = nil, bucket: String? = nil) throws -> S3Settings {
        let endpoint = try S3Endpoint.parse(try TestStack.s3Endpoint, defaultScheme: "http").get()
        return S3Settings(
            endpoint: endpoint, accessKeyID: try accessKeyID ?? TestStack.s3AccessKeyID,
            secretAccessKey: Secret(try secretAccessKey ?? TestStack.s3SecretAccessKey, origin: "AWS_SECRET_ACCESS_KEY"), sessionToken: nil,
            region: "us-east-1", bucket: try bucket ?? TestStack.s3Bucket, prefix: nil, caBundle: nil, addressing: .path)
    }

    /// A client whose log lines (trace level and up) land in `sink`.
    static func make(
        _ settings: S3Settings, sink: LogSink = LogSink(buffer: true), budget: Duration = .seconds(60),
        retry: RetryPolicy? = nil, resolve: [String] = [], caPEM: Data? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws -> S3Client {
        var logger = Logger(label: "test") { label in TasterLogHandler(label: label, format: .text, level: .trace, sink: sink) }
        logger.logLevel = .trace
        var configuration = S3Client.httpConfiguration(for: settings)
        configuration.resolve = resolve
        if let caPEM { configuration.tls.certificateAuthority = .pem(caPEM) }
        return try S3Client(
            settings: settings, deadline: Deadline(budget: budget), logger: logger,
            http: HTTPClient(configuration: configuration, logger: logger), retry: retry, now: now)
    }

    /// `.s3(budget:)` without the jitter: every backoff waits its full ceiling (0.5 s, 1 s, 2 s,
    /// 4 s, then 5 s).
    static func deterministicRetry(budget: Duration = S3Settings.defaultRetryBudget) -> RetryPolicy {
        var policy = RetryPolicy.s3(budget: budget)
        policy.random = { $0.upperBound }
        return policy
    }
}
