import FoundationEssentials
import TasterHTTP
import TasterSupport

extension AWSCredentialsProvider {
    private struct ContainerAnswer: Decodable {
        let accessKeyID: String
        let secretAccessKey: String
        let token: String?
        let expiration: String

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "AccessKeyId", secretAccessKey = "SecretAccessKey", token = "Token", expiration = "Expiration"
        }
    }

    /// The container credentials endpoint, as the EKS Pod Identity agent (and ECS) serve it: a GET
    /// with the authorization token (read afresh from its file: it rotates) for a JSON answer with
    /// `AccessKeyId`, `SecretAccessKey`, `Token` and `Expiration`.
    ///
    /// - SeeAlso: https://docs.aws.amazon.com/sdkref/latest/guide/feature-container-credentials.html
    func containerCredentials(
        url: String, token: AWSCredentialSource.ContainerToken, deadline: Deadline
    ) async throws -> (credentials: SigV4Credentials, expiration: Date) {
        var headers: HTTPHeaders = ["Accept": "application/json"]
        switch token {
        case .none: break
        case .value(let secret): headers["Authorization"] = secret.revealed
        case .file(let path):
            guard let text = try? String(contentsOfFile: path, encoding: .utf8).trimmingSpaces(), !text.isEmpty else {
                throw fail(
                    "the authorization token file \(path) cannot be read or is empty",
                    "check the pod's eks-pod-identity-token volume (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE)")
            }
            SecretRedactor.shared.register(text, origin: "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")
            headers["Authorization"] = text
        }
        let response: HTTPResponse
        do {
            response = try await http.execute(HTTPRequest(method: .get, url: url, headers: headers), retry: Self.retry, deadline: deadline)
        } catch let error as HTTPError {
            throw fail(
                "\(URLDisplay.show(url)) could not be reached (\(error.kind))",
                "check that the Pod Identity agent runs on the node and the pod has an association")
        }
        guard response.status == 200 else {
            throw fail(
                "\(URLDisplay.show(url)) answered HTTP \(response.status)",
                response.status == 401 || response.status == 403
                    ? "check AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: the agent refused its token"
                    : "check the pod's Pod Identity association")
        }
        guard let answer = try? JSONDecoder().decode(ContainerAnswer.self, from: response.body),
            let expiration = Timestamp.parse(answer.expiration)
        else {
            throw fail(
                "\(URLDisplay.show(url)) answered without credentials", "check AWS_CONTAINER_CREDENTIALS_FULL_URI: it must name the credentials endpoint")
        }
        return (SigV4Credentials(accessKeyID: answer.accessKeyID, secretAccessKey: answer.secretAccessKey, sessionToken: answer.token), expiration)
    }
}
