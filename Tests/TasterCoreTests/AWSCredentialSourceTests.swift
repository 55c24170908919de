import Foundation
import Testing

@testable import TasterCore
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// Which source the S3 credentials come from: the standard chain's order, each variable checked.
@Suite("AWS credential sources")
struct AWSCredentialSourceTests {
    static let tokenFile = Fixture.url("sigv4-test-suite.json").path // any readable file

    func source(_ values: [String: String]) throws -> AWSCredentialSource? {
        try Settings.load(from: Environment(values)).s3.credentialSource
    }

    func problems(_ values: [String: String]) -> [String] {
        do {
            _ = try Settings.load(from: Environment(values))
            return []
        } catch {
            return error.problems.map(\.variable)
        }
    }

    @Test("static keys first, then a web identity, then the container endpoint")
    func order() throws {
        let web = ["AWS_WEB_IDENTITY_TOKEN_FILE": Self.tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/taster"]
        let container = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.23/v1/credentials"]
        let keys = ["AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-value-1"]
        guard case .staticKeys = try source(keys.merging(web) { $1 }.merging(container) { $1 }) else { Issue.record("static first"); return }
        #expect(
            try source(web.merging(container) { $1 })
                == .webIdentity(
                    roleARN: "arn:aws:iam::1:role/taster", tokenFile: Self.tokenFile, sessionName: "taster",
                    stsEndpoint: "https://sts.us-east-1.amazonaws.com"))
        #expect(try source(container) == .container(url: "http://169.254.170.23/v1/credentials", token: .none))
        #expect(
            try source(["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/abc"])
                == .container(url: "http://169.254.170.2/v2/credentials/abc", token: .none))
        #expect(try source([:]) == nil)
    }

    @Test("STS: AWS_ENDPOINT_URL_STS, else regional, else legacy when asked")
    func stsEndpoint() throws {
        let web = ["AWS_WEB_IDENTITY_TOKEN_FILE": Self.tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/taster", "AWS_REGION": "eu-west-1"]
        func endpoint(_ extra: [String: String]) throws -> String? {
            guard case .webIdentity(_, _, _, let sts) = try source(web.merging(extra) { $1 }) else { return nil }
            return sts
        }
        #expect(try endpoint([:]) == "https://sts.eu-west-1.amazonaws.com")
        #expect(try endpoint(["AWS_STS_REGIONAL_ENDPOINTS": "legacy"]) == "https://sts.amazonaws.com")
        #expect(try endpoint(["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:5000/"]) == "http://127.0.0.1:5000")
        #expect(problems(web.merging(["AWS_STS_REGIONAL_ENDPOINTS": "global"]) { $1 }) == ["AWS_STS_REGIONAL_ENDPOINTS"])
    }

    @Test("each variable is checked: a role for the token, a readable token file, an agent URL that is safe")
    func validation() {
        #expect(problems(["AWS_WEB_IDENTITY_TOKEN_FILE": Self.tokenFile]) == ["AWS_ROLE_ARN"])
        #expect(problems(["AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token", "AWS_ROLE_ARN": "arn:aws:iam::1:role/t"]) == ["AWS_WEB_IDENTITY_TOKEN_FILE"])
        #expect(
            problems(["AWS_WEB_IDENTITY_TOKEN_FILE": Self.tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::1:role/t", "AWS_ROLE_SESSION_NAME": "a b"])
                == ["AWS_ROLE_SESSION_NAME"])
        #expect(problems(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://metadata.example.com/creds"]) == ["AWS_CONTAINER_CREDENTIALS_FULL_URI"])
        #expect(problems(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "https://agent.example.com/creds"]) == [])
        // Plain HTTP only to the loopback and the agents' addresses themselves, never a name that
        // merely starts like them.
        for url in ["http://localhost.evil.example/c", "http://127.0.0.1.evil.example/c", "http://169.254.170.23.evil.example/c"] {
            #expect(problems(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]) == ["AWS_CONTAINER_CREDENTIALS_FULL_URI"], "\(url)")
        }
        for url in ["http://localhost:8080/c", "http://127.3.2.1/c", "http://[::1]:9/c", "http://169.254.170.23/v1/credentials"] {
            #expect(problems(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url]) == [], "\(url)")
        }
        #expect(
            problems(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:80/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": "/nonexistent"])
                == ["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"])
    }

    @Test("the agent's token given as a value is a secret; show-settings names the source")
    func showSettings() throws {
        let token = "agentTokenValue-8f7e6d5c"
        let settings = try Settings.load(
            from: Environment(["AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1/c", "AWS_CONTAINER_AUTHORIZATION_TOKEN": token]))
        #expect(!settings.table.contains(token))
        #expect(settings.table.contains("container credentials endpoint (http://127.0.0.1/c)"))
        #expect(SecretRedactor.shared.holdsSecret("Authorization: \(token)"))
        #expect(try Settings.load(from: Environment([:])).table.contains("s3.credentials"))
    }
}
