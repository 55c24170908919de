import Foundation
import Logging

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// Kubernetes clients for tests: the stack's kubeconfig (context `taster-test`: the emulator,
/// its CA as certificate-authority-data, the stack's token), optionally with another token.
enum TestKube {
    /// Every call taster declares, for tests that do not check the split between roles.
    static let everything =
        KubernetesPermissions.hooks + KubernetesPermissions.argoApplication
        + KubernetesPermissions.awaitJob + KubernetesPermissions.everyAuthenticatedUser

    static func connection(token: String? = nil) throws -> KubeConnection {
        var connection = try KubeConfig.load(paths: [try TestStack.value("KUBECONFIG")]).connection(context: nil)
        if let token { connection.credentials = .token(Secret(token, origin: "a test token")) }
        return connection
    }

    static func logger(_ sink: LogSink) -> Logger {
        Logger(label: "test") { label in TasterLogHandler(label: label, format: .text, level: .debug, sink: sink) }
    }

    static func client(
        _ permissions: [KubernetesPermission] = everything, token: String? = nil, sink: LogSink = LogSink(buffer: true),
        retry: RetryPolicy = .kubernetes
    ) throws -> KubernetesClient {
        try KubernetesClient(connection: try connection(token: token), permissions: permissions, logger: logger(sink), retry: retry)
    }

    /// A token of its own for a user of its own, so a test can read exactly its requests from the log.
    static func identity(_ emulator: EmulatorControl, user: String? = nil) async throws -> (token: String, user: String) {
        let token = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
        let name = user ?? "system:serviceaccount:\(TestStack.uniqueName("ns")):taster"
        try await emulator.addToken(token, user: name)
        return (token, name)
    }
}
