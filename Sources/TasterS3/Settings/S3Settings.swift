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
    /// Without static keys: a web identity or the container credentials endpoint.
    package var temporarySource: AWSCredentialSource?
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
    /// `TASTER_S3_RETRY_BUDGET`: how long a failing request is tried again (connection refused,
    /// 5xx, `SlowDown`) before the run fails; the deadline still wins.
    package var retryBudget: Duration = S3Settings.defaultRetryBudget

    /// Where the credentials come from: static keys, else a web identity, else the container
    /// credentials endpoint; nil when none is configured.
    package var credentialSource: AWSCredentialSource? {
        if let accessKeyID, let secretAccessKey {
            return .staticKeys(accessKeyID: accessKeyID, secretAccessKey: secretAccessKey, sessionToken: sessionToken)
        }
        return temporarySource
    }

    package static let defaultRegion = "us-east-1"

    /// What to say when no source of credentials is configured.
    package static let missingCredentials: [ConfigurationProblem] = [
        .init(
            variable: "AWS_ACCESS_KEY_ID",
            problem:
                "is not set (nor S3_ACCESSKEY), and neither is AWS_WEB_IDENTITY_TOKEN_FILE (IRSA) nor AWS_CONTAINER_CREDENTIALS_FULL_URI (EKS Pod Identity)",
            example: "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
        .init(variable: "AWS_SECRET_ACCESS_KEY", problem: "is not set (nor S3_SECRETKEY)", example: "AWS_SECRET_ACCESS_KEY=<the key's secret>"),
    ]
    package static let defaultLinkExpiry: Duration = .seconds(604_800)
    package static let defaultRetryBudget: Duration = .seconds(60)

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
        let retryBudget = reader.duration("TASTER_S3_RETRY_BUDGET", default: defaultRetryBudget, example: "60s")
        let temporarySource = accessKey == nil && secretKey == nil ? readTemporarySource(&reader, region: region) : nil
        return S3Settings(
            endpoint: endpoint, accessKeyID: accessKey?.value, secretAccessKey: secretValue,
            sessionToken: tokenValue, temporarySource: temporarySource, region: region, bucket: bucket, prefix: prefix,
            caBundle: caBundle, addressing: addressing, reportBaseURL: reportBaseURL, linkExpiry: linkExpiry,
            retryBudget: retryBudget)
    }

    /// After static keys, the standard chain: a web identity token file with a role, then the
    /// container credentials endpoint. Each variable is checked when it is set.
    static func readTemporarySource(_ reader: inout SettingsReader, region: String) -> AWSCredentialSource? {
        let sts = stsEndpoint(&reader, region: region)
        if reader.string("AWS_WEB_IDENTITY_TOKEN_FILE") != nil {
            let file = reader.readableFile("AWS_WEB_IDENTITY_TOKEN_FILE", example: "/var/run/secrets/eks.amazonaws.com/serviceaccount/token")
            guard let role = reader.string("AWS_ROLE_ARN") else {
                reader.fail(
                    "AWS_ROLE_ARN", "is not set while AWS_WEB_IDENTITY_TOKEN_FILE is: the web identity needs the role to assume",
                    example: "AWS_ROLE_ARN=arn:aws:iam::111122223333:role/taster")
                return nil
            }
            let session = reader.string("AWS_ROLE_SESSION_NAME") ?? "taster"
            guard (2...64).contains(session.count), session.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "_+=,.@-".contains($0)) }) else {
                reader.fail(
                    "AWS_ROLE_SESSION_NAME", "\"\(session)\" is not a session name (2-64 of letters, digits and _+=,.@-)",
                    example: "AWS_ROLE_SESSION_NAME=taster")
                return nil
            }
            guard let file, let sts else { return nil }
            return .webIdentity(roleARN: role, tokenFile: file, sessionName: session, stsEndpoint: sts)
        }
        let full = reader.string("AWS_CONTAINER_CREDENTIALS_FULL_URI")
        let relative = reader.string("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")
        guard full != nil || relative != nil else { return nil }
        let url = full ?? "http://169.254.170.2" + (relative!.hasPrefix("/") ? relative! : "/" + relative!)
        let lowered = url.lowercased()
        let authority = URLDisplay.origin(lowered).split(separator: "/").dropFirst().first.map(String.init) ?? ""
        guard lowered.hasPrefix("https://") || (lowered.hasPrefix("http://") && Self.mayUsePlainHTTP(authority: authority)) else {
            reader.fail(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "\"\(URLDisplay.show(url))\" must be https, or http to the loopback or the EKS Pod Identity agent (169.254.170.23)",
                example: "AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials")
            return nil
        }
        if reader.string("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") != nil {
            guard
                let file = reader.readableFile(
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", example: "/var/run/secrets/pods.eks.amazonaws.com/serviceaccount/eks-pod-identity-token")
            else { return nil }
            return .container(url: url, token: .file(file))
        }
        if let token = reader.secret(["AWS_CONTAINER_AUTHORIZATION_TOKEN"]) {
            return .container(url: url, token: .value(Secret.registered(token.value.trimmingSpaces(), origin: token.name)))
        }
        return .container(url: url, token: .none)
    }

    /// `AWS_ENDPOINT_URL_STS`, else the regional STS endpoint (`AWS_STS_REGIONAL_ENDPOINTS=legacy`:
    /// the global one).
    static func stsEndpoint(_ reader: inout SettingsReader, region: String) -> String? {
        let mode = reader.string("AWS_STS_REGIONAL_ENDPOINTS")?.lowercased()
        if let mode, mode != "regional", mode != "legacy" {
            reader.fail("AWS_STS_REGIONAL_ENDPOINTS", "\"\(mode)\" is neither regional nor legacy", example: "AWS_STS_REGIONAL_ENDPOINTS=regional")
        }
        if var url = reader.string("AWS_ENDPOINT_URL_STS") {
            guard url.lowercased().hasPrefix("https://") || url.lowercased().hasPrefix("http://") else {
                reader.fail(
                    "AWS_ENDPOINT_URL_STS", "\"\(URLDisplay.origin(url))\" must be an http(s) URL",
                    example: "AWS_ENDPOINT_URL_STS=https://sts.eu-west-1.amazonaws.com")
                return nil
            }
            while url.hasSuffix("/") { url.removeLast() }
            return url
        }
        return mode == "legacy" ? "https://sts.amazonaws.com" : "https://sts.\(region).amazonaws.com"
    }

    static func isValidBucketName(_ name: String) -> Bool {
        (3...63).contains(name.count)
            && name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "." || $0 == "-" }
            && name.first!.isASCII && (name.first!.isLetter || name.first!.isNumber)
            && name.last!.isASCII && (name.last!.isLetter || name.last!.isNumber)
    }

    /// Whether the container credentials endpoint may be plain HTTP: only the loopback and the
    /// ECS/EKS agents' link-local addresses, as the AWS SDKs allow — the host exactly, so
    /// `localhost.example.com` or `127.0.0.1.example.com` never receives the token in clear.
    static func mayUsePlainHTTP(authority: String) -> Bool {
        var host = authority
        if host.hasPrefix("[") {
            host = String(host.prefix { $0 != "]" }) + "]"
        } else if let colon = host.firstIndex(of: ":") {
            host = String(host[..<colon])
        }
        if ["localhost", "[::1]", "169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"].contains(host) { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { part in UInt8(part) != nil }
    }
}
