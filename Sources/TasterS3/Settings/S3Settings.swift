import TasterHTTP
import TasterSupport

/// Where reports go: an S3-compatible bucket, and the credentials to sign with.
package struct S3Settings: Sendable {
    package enum Addressing: String, Sendable, CaseIterable {
        /// `https://endpoint/bucket/key` — the default, works with every S3-compatible store.
        case path
        /// `https://bucket.endpoint/key`.
        case virtual
    }

    /// The configured endpoint, or nil to use AWS's regional endpoint.
    package var endpoint: S3Endpoint?
    package var accessKeyID: String?
    package var secretAccessKey: Secret?
    package var sessionToken: Secret?
    package var region: String
    package var bucket: String?
    /// `TASTER_PREFIX`, without leading or trailing slashes; nil means `taster/<namespace>/<app>`.
    package var prefix: String?
    /// `AWS_CA_BUNDLE`: a PEM file with the CA(s) to trust for an HTTPS endpoint.
    package var caBundle: String?
    package var addressing: Addressing

    package static let defaultRegion = "us-east-1"

    /// The endpoint actually used: the configured one, or AWS's for the region.
    package var effectiveEndpoint: S3Endpoint { endpoint ?? .aws(region: region) }

    package static let endpointNames = ["AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL", "S3_URL"]
    package static let accessKeyNames = ["AWS_ACCESS_KEY_ID", "S3_ACCESSKEY"]
    package static let secretKeyNames = ["AWS_SECRET_ACCESS_KEY", "S3_SECRETKEY"]
    package static let regionNames = ["AWS_REGION", "AWS_DEFAULT_REGION"]
    package static let bucketNames = ["TASTER_BUCKET", "S3_RESULTS_BUCKET", "S3_BUCKET"]
}

extension S3Settings {
    package static func read(_ reader: inout SettingsReader) -> S3Settings {
        let insecure = reader.bool("TASTER_S3_INSECURE", default: false)
        var endpoint: S3Endpoint?
        if let (name, text) = reader.string(endpointNames) {
            switch S3Endpoint.parse(text, defaultScheme: insecure ? "http" : "https") {
            case .success(let parsed): endpoint = parsed
            case .failure(let error):
                // Shown by the allow-list: a path, a query or user info may carry a token.
                reader.fail(name, "\"\(URLDisplay.origin(text))\" \(error.reason)", example: "\(name)=https://minio.example.com:9000")
            }
        }

        let accessKey = reader.string(accessKeyNames)
        let secretKey = reader.secret(secretKeyNames)
        let sessionToken = reader.secret(["AWS_SESSION_TOKEN"])
        let secretValue = secretKey.map { Secret.registered($0.value, origin: $0.name) }
        let tokenValue = sessionToken.map { Secret.registered($0.value, origin: $0.name) }
        if accessKey != nil && secretKey == nil {
            reader.fail("AWS_SECRET_ACCESS_KEY", "is missing while \(accessKey!.name) is set", example: "AWS_SECRET_ACCESS_KEY=<the key's secret>")
        }
        if secretKey != nil && accessKey == nil {
            reader.fail("AWS_ACCESS_KEY_ID", "is missing while \(secretKey!.name) is set", example: "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")
        }

        var region = defaultRegion
        if let (name, text) = reader.string(regionNames) {
            if text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) {
                region = text
            } else {
                reader.fail(name, "\"\(text)\" is not a region name", example: "\(name)=eu-west-1")
            }
        }

        var bucket: String?
        if let (name, text) = reader.string(bucketNames) {
            if isValidBucketName(text) {
                bucket = text
            } else {
                reader.fail(
                    name, "\"\(text)\" is not a valid bucket name (3-63 characters: lowercase letters, digits, '.', '-')",
                    example: "\(name)=taster-reports")
            }
        }

        var prefix: String?
        if let text = reader.string("TASTER_PREFIX") {
            let trimmed = text.trimmingCharacters("/")
            if trimmed.isEmpty || trimmed.contains("//") || trimmed.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) {
                reader.fail(
                    "TASTER_PREFIX", "\"\(text)\" is not a usable key prefix (no empty, '.' or '..' segments)",
                    example: "TASTER_PREFIX=taster/pxbbq")
            } else {
                prefix = trimmed
            }
        }

        let caBundle = reader.readableFile("AWS_CA_BUNDLE", example: "/etc/ssl/certs/minio-ca.pem")
        let addressing = reader.choice("TASTER_S3_ADDRESSING", default: Addressing.path)
        return S3Settings(
            endpoint: endpoint, accessKeyID: accessKey?.value, secretAccessKey: secretValue,
            sessionToken: tokenValue, region: region, bucket: bucket, prefix: prefix,
            caBundle: caBundle, addressing: addressing)
    }

    static func isValidBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-" }
            && name.first!.isASCII && (name.first!.isLetter || name.first!.isNumber)
            && name.last!.isASCII && (name.last!.isLetter || name.last!.isNumber)
    }
}
