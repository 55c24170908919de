import FoundationEssentials
import TasterHTTP
import TasterSupport

extension AWSCredentialsProvider {
    /// STS `AssumeRoleWithWebIdentity`: the pod's projected token (read afresh: the kubelet
    /// rotates it) for the role's temporary credentials. The request is not signed; the token is
    /// the proof, and is a secret.
    ///
    /// - SeeAlso: https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
    func assumeRoleWithWebIdentity(
        role: String, tokenFile: String, sessionName: String, endpoint: String, deadline: Deadline
    ) async throws -> (credentials: SigV4Credentials, expiration: Date) {
        let token: String
        do {
            token = try String(contentsOfFile: tokenFile, encoding: .utf8).trimmingSpaces()
        } catch {
            throw fail(
                "the token file \(tokenFile) cannot be read",
                "check the pod's projected service account token volume (IRSA's eks.amazonaws.com/role-arn annotation)")
        }
        guard !token.isEmpty else { throw fail("the token file \(tokenFile) is empty", "check the pod's projected service account token volume") }
        SecretRedactor.shared.register(token, origin: "AWS_WEB_IDENTITY_TOKEN_FILE")
        let form = [
            ("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", role),
            ("RoleSessionName", sessionName), ("WebIdentityToken", token),
        ].map { "\($0.0)=\(S3URIEncoding.encodeQueryComponent($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: .post, url: endpoint + "/",
            headers: ["Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Accept": "application/xml"],
            body: Data(form.utf8))
        let response: HTTPResponse
        do {
            response = try await http.execute(request, retry: Self.retry, deadline: deadline)
        } catch let error as HTTPError {
            throw fail(
                "STS \(URLDisplay.show(endpoint)) could not be reached (\(error.kind))",
                "check AWS_ENDPOINT_URL_STS or AWS_STS_REGIONAL_ENDPOINTS and the network policy")
        }
        let xml = Substring(String(decoding: response.body, as: UTF8.self))
        guard response.status == 200 else {
            let code = S3XML.value("Code", in: xml) ?? "HTTP \(response.status)"
            let message = S3XML.value("Message", in: xml).map { ": \($0)" } ?? ""
            throw fail(
                "STS \(URLDisplay.show(endpoint)) refused AssumeRoleWithWebIdentity for \(role) with \(code)\(message)",
                "check that the role trusts the cluster's OIDC provider for this service account and the token's audience is sts.amazonaws.com")
        }
        guard let credentials = S3XML.elements("Credentials", in: xml).first,
            let id = S3XML.value("AccessKeyId", in: credentials), let secret = S3XML.value("SecretAccessKey", in: credentials),
            let session = S3XML.value("SessionToken", in: credentials),
            let expiration = S3XML.value("Expiration", in: credentials).flatMap(Timestamp.parse)
        else {
            throw fail("STS \(URLDisplay.show(endpoint)) answered without credentials", "check AWS_ENDPOINT_URL_STS: it must name an STS endpoint")
        }
        return (SigV4Credentials(accessKeyID: id, secretAccessKey: secret, sessionToken: session), expiration)
    }
}
