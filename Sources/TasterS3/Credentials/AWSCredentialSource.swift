import TasterHTTP
import TasterSupport

/// Where the S3 credentials come from, in the order of the standard AWS chain: static keys, then
/// a web identity token exchanged at STS (IRSA), then the container credentials endpoint (the EKS
/// Pod Identity agent, ECS). `taster check --show-settings` names it, and an error getting
/// credentials says which it was.
package enum AWSCredentialSource: Sendable, Equatable, CustomStringConvertible {
    /// `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` [+ `AWS_SESSION_TOKEN`].
    case staticKeys(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret?)
    /// `AWS_WEB_IDENTITY_TOKEN_FILE` + `AWS_ROLE_ARN` [+ `AWS_ROLE_SESSION_NAME`] → STS
    /// `AssumeRoleWithWebIdentity` at `stsEndpoint`.
    case webIdentity(roleARN: String, tokenFile: String, sessionName: String, stsEndpoint: String)
    /// `AWS_CONTAINER_CREDENTIALS_FULL_URI` (or `_RELATIVE_URI`), with the token of
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (re-read on every fetch: it rotates) or
    /// `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
    case container(url: String, token: ContainerToken)

    package enum ContainerToken: Sendable, Equatable {
        case none
        case file(String)
        case value(Secret)
    }

    package var description: String {
        switch self {
        case .staticKeys(_, _, let token): token == nil ? "static keys (AWS_ACCESS_KEY_ID)" : "static temporary keys (AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN)"
        case .webIdentity(let role, let file, _, let sts): "web identity (AWS_WEB_IDENTITY_TOKEN_FILE=\(file), AWS_ROLE_ARN=\(role), STS \(sts))"
        case .container(let url, _): "container credentials endpoint (\(URLDisplay.show(url)))"
        }
    }

    /// The variable to look at first when getting credentials from this source fails.
    package var variable: String {
        switch self {
        case .staticKeys: "AWS_ACCESS_KEY_ID"
        case .webIdentity: "AWS_WEB_IDENTITY_TOKEN_FILE"
        case .container: "AWS_CONTAINER_CREDENTIALS_FULL_URI"
        }
    }
}
