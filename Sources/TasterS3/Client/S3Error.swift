import TasterHTTP
import TasterSupport

/// S3 answered a request with an error: which operation on which object failed, S3's own code
/// and message, and what to do about it. Exit code 3: a dependency failed.
///
/// Never contains the secret key: only the access key ID (which `--show-settings` prints too).
package struct S3Error: TasterError {
    /// `PutObject`, `GetObject`, `HeadObject`, `ListObjectsV2`, `DeleteObject`.
    package var operation: String
    package var bucket: String
    /// The key, or the prefix of a listing; nil for bucket-level calls without one.
    package var key: String?
    /// `scheme://host[:port]` of the endpoint that answered.
    package var endpoint: String
    package var status: Int
    /// S3's error code (`NoSuchKey`); for a HEAD, whose answers have no body, derived from the status.
    package var code: String
    package var message: String?
    package var requestID: String?
    package var accessKeyID: String
    package var region: String
    package var attempts: Int = 1
    /// The retry budget that was spent while S3 kept giving this (retryable) answer.
    package var spentBudget: RetryBudget?
    package var response: S3ErrorResponse?
    /// The request carried `AWS_SESSION_TOKEN`: refusals may be the token's.
    package var usesSessionToken = false

    package var exitCode: TasterExitCode { .dependency }

    package var object: String {
        key.map { "s3://\(bucket)/\($0)" } ?? "s3://\(bucket)"
    }

    package var description: String {
        var text = "S3 \(operation) of \(object) on \(endpoint) failed: HTTP \(status) \(code)"
        if let message, !message.isEmpty { text += " (\(message))" }
        if attempts > 1 { text += " after \(attempts) attempts" }
        if let spentBudget { text += ", still failing when the retry budget \(spentBudget.setting) was spent" }
        return text + ": " + advice
    }

    package var advice: String {
        switch code {
        case "NoSuchBucket":
            return "bucket \"\(bucket)\" does not exist on \(endpoint); create it, or set TASTER_BUCKET to an existing bucket"
        case "NoSuchKey", "NotFound":
            return "there is no object at \(object); check the key (TASTER_PREFIX, the run id)"
        case "AccessDenied", "Forbidden":
            var text =
                "access key \(accessKeyID) may not \(action) on \(object); grant it \(action) on the bucket or prefix, "
                + "or use a key that has it"
            if operation == "PutObject" {
                text += " (some stores, SeaweedFS among them, also answer AccessDenied when bucket \"\(bucket)\" does not exist)"
            }
            return text
        case "InvalidAccessKeyId":
            return "the endpoint does not know access key \(accessKeyID); check AWS_ACCESS_KEY_ID and that the key belongs to \(endpoint)"
                + (usesSessionToken
                    ? "; with AWS_SESSION_TOKEN set, check that the key and the token come from the same, unexpired session (or unset the token for a long-lived key)"
                    : "")
        case "InvalidToken", "ExpiredToken", "TokenRefreshRequired":
            return
                "the session token was refused; renew the temporary credentials and set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN from the same session"
        case "SignatureDoesNotMatch":
            return "the request signature was refused; check the secret key and this machine's clock "
                + "(AWS_SECRET_ACCESS_KEY for access key \(accessKeyID), AWS_REGION=\(region))"
        case "RequestTimeTooSkewed":
            var text = "this machine's clock is too far from the server's"
            if let server = response?.serverTime { text += " (server: \(server)" + (response?.requestTime.map { ", ours: \($0)" } ?? "") + ")" }
            return text + "; fix the clock (NTP) on the node running taster"
        case "PreconditionFailed":
            return "\(object) already exists — refusing to overwrite; each run writes under its own run id, so use a new TASTER_RUN_ID"
        case "BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch":
            return
                "the bytes S3 received do not match their checksum: the data was damaged on the way; try again, and check proxies between here and \(endpoint)"
        case "AuthorizationHeaderMalformed", "PermanentRedirect", "IncorrectEndpoint":
            let hint = response?.region.map { " (the bucket is in \($0))" } ?? ""
            return "the bucket is not served by this endpoint or region\(hint); set AWS_REGION and the endpoint to the bucket's"
        case "SlowDown", "ServiceUnavailable", "InternalError", "RequestTimeout":
            return "the endpoint is overloaded or failing; try again later, or check its health"
        case "InvalidBucketName":
            return "\"\(bucket)\" is not a bucket name this endpoint accepts; check TASTER_BUCKET"
        case "EntityTooLarge":
            return "the object is larger than the endpoint accepts"
        default:
            return "see the endpoint's documentation for \(code)"
        }
    }

    /// The IAM action the operation needs, for AccessDenied.
    var action: String {
        switch operation {
        case "PutObject": "s3:PutObject"
        case "GetObject", "HeadObject": "s3:GetObject"
        case "ListObjectsV2": "s3:ListBucket"
        case "DeleteObject": "s3:DeleteObject"
        default: "s3:\(operation)"
        }
    }

    /// A code for a response without an error document (HEAD answers have no body).
    static func code(forStatus status: Int) -> String {
        switch status {
        case 301, 307: "PermanentRedirect"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 429, 503: "SlowDown"
        case 500: "InternalError"
        default: "HTTP\(status)"
        }
    }
}
