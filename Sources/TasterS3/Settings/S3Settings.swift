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
    /// `TASTER_REPORT_BASE_URL`: links to reports are this URL followed by the key (a console or
    /// static site that serves the bucket); nil links with a presigned URL.
    package var reportBaseURL: String?
    /// `TASTER_LINK_EXPIRY`: how long a presigned link opens the page (at most 7 days, SigV4's limit).
    package var linkExpiry: Duration = S3Settings.defaultLinkExpiry

    package static let defaultRegion = "us-east-1"
    package static let defaultLinkExpiry: Duration = .seconds(604_800)

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
        var reportBaseURL: String?
        if let text = reader.string("TASTER_REPORT_BASE_URL") {
            let lowered = text.lowercased()
            if (lowered.hasPrefix("https://") || lowered.hasPrefix("http://")) && !text.contains("?") && !text.contains("#") {
                reportBaseURL = text
            } else {
                reader.fail(
                    "TASTER_REPORT_BASE_URL", "\"\(URLDisplay.show(text))\" must be an http(s) URL without a query, under which the bucket's keys are served",
                    example: "TASTER_REPORT_BASE_URL=https://reports.example.com/taster-reports")
            }
        }
        let linkExpiry = reader.duration("TASTER_LINK_EXPIRY", default: defaultLinkExpiry, example: "168h")
        if linkExpiry > SigV4Signer.maximumPresignExpiry || linkExpiry < .seconds(1) {
            reader.fail("TASTER_LINK_EXPIRY", "must be between 1s and 168h (7 days, the most a presigned URL lives)", example: "TASTER_LINK_EXPIRY=168h")
        }
        return S3Settings(
            endpoint: endpoint, accessKeyID: accessKey?.value, secretAccessKey: secretValue,
            sessionToken: tokenValue, region: region, bucket: bucket, prefix: prefix,
            caBundle: caBundle, addressing: addressing, reportBaseURL: reportBaseURL, linkExpiry: linkExpiry)
    }

    static func isValidBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-" }
            && name.first!.isASCII && (name.first!.isLetter || name.first!.isNumber)
            && name.last!.isASCII && (name.last!.isLetter || name.last!.isNumber)
    }
}
