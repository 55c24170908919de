import Foundation
import Logging

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// A SeaweedFS (`weed mini`) of a test's own, for tests that stop it, restart it, or run it with
/// TLS and a domain name — started the way `testenv/stack.py` starts the stack's, every port
/// explicit and every socket in its own folder, on 127.0.0.1 only.
final class PrivateSeaweed: @unchecked Sendable {
    static let bucket = "taster-reports"

    let directory: TemporaryDirectory
    /// master = base, volume +1, filer +2, S3 +3, admin +4; each also uses +10000 for gRPC.
    let base: Int
    let accessKeyID = "PRIVATE" + UUID().uuidString.prefix(13).replacingOccurrences(of: "-", with: "").uppercased()
    let secretAccessKey = "pr1vate/+" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
    /// The server certificate's PEM files and the CA that signed it, when started with TLS.
    let certificate: (cert: String, key: String)?
    let domain: String?
    private(set) var server: ServerProcess?

    var s3Port: Int { base + 3 }
    var scheme: String { certificate == nil ? "http" : "https" }

    private init(directory: TemporaryDirectory, base: Int, certificate: (String, String)?, domain: String?) {
        self.directory = directory
        self.base = base
        self.certificate = certificate
        self.domain = domain
    }

    /// Starts a server and waits until a signed put and get work.
    static func start(tls: Bool = false, domain: String? = nil) async throws -> PrivateSeaweed {
        let directory = try TemporaryDirectory("taster-weed")
        var certificate: (String, String)?
        if tls {
            var arguments = [
                try TestStack.testenvDirectory + "/tlsgen.py", "server", directory.path("tls").path, "s3",
                try TestStack.caFile, try TestStack.caKeyFile,
            ]
            if let domain { arguments += ["--dns", domain, "--dns", "\(bucket).\(domain)"] }
            try run(try TestStack.python, arguments)
            certificate = (directory.path("tls/s3.crt").path, directory.path("tls/s3.key").path)
        }
        let weed = PrivateSeaweed(directory: directory, base: try freePortBlock(), certificate: certificate, domain: domain)
        let identities: [String: Any] = [
            "identities": [
                [
                    "name": "taster",
                    "credentials": [["accessKey": weed.accessKeyID, "secretKey": weed.secretAccessKey]],
                    "actions": ["Read", "Write", "List", "Tagging"],
                ]
            ]
        ]
        try JSONSerialization.data(withJSONObject: identities).write(to: directory.path("identities.json"))
        try weed.launch()
        try await weed.waitUntilReady()
        return weed
    }

    /// Settings for this server: path-style on 127.0.0.1, trusting the stack's CA under TLS.
    func settings(
        endpointHost: String = "127.0.0.1", addressing: S3Settings.Addressing = .path,
        caBundle: String?? = .none
    ) -> S3Settings {
        let ca: String? =
            switch caBundle {
            case .none: certificate == nil ? nil : try? TestStack.caFile
            case .some(let value): value
            }
        return S3Settings(
            endpoint: S3Endpoint(scheme: scheme, host: endpointHost, port: s3Port), accessKeyID: accessKeyID,
            secretAccessKey: Secret(secretAccessKey, origin: "AWS_SECRET_ACCESS_KEY"), sessionToken: nil, region: "us-east-1", bucket: Self.bucket,
            prefix: nil, caBundle: ca, addressing: addressing)
    }

    /// Starts the server again on the same ports and data, without waiting for it.
    func launch() throws {
        var arguments = [
            "mini", "-dir=\(directory.path("data").path)", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-master.telemetry=false", "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            "-s3.config=\(directory.path("identities.json").path)", "-bucket=\(Self.bucket)",
            "-master.port=\(base)", "-volume.port=\(base + 1)", "-filer.port=\(base + 2)",
            "-s3.port=\(base + 3)", "-admin.port=\(base + 4)",
            "-filer.localSocket=\(directory.path("data").path)/filer.sock",
            "-s3.localSocket=\(directory.path("data").path)/s3.sock",
        ]
        if let certificate { arguments += ["-s3.cert.file=\(certificate.cert)", "-s3.key.file=\(certificate.key)"] }
        if let domain { arguments.append("-s3.domainName=\(domain)") }
        try FileManager.default.createDirectory(at: directory.path("data"), withIntermediateDirectories: true)
        server = try ServerProcess.start(
            "SeaweedFS (private)", executable: "weed", arguments: arguments,
            logFile: directory.path("weed-\(UUID().uuidString.prefix(4)).log"))
    }

    /// SIGTERM and wait until it has exited.
    func stop() {
        server?.stop()
    }

    /// Ready means a signed write and read of a probe object work (the volume server is up).
    func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let clock = ContinuousClock()
        let end = clock.now.advanced(by: timeout)
        var last = ""
        while clock.now < end {
            if let server, !server.isRunning {
                throw TestFailure("private SeaweedFS exited while starting:\n\(server.logTail)")
            }
            if TCPProbe.accepts(port: s3Port) {
                do {
                    let client = try S3Client(
                        settings: settings(), deadline: Deadline(budget: .seconds(3)),
                        logger: Logger(label: "probe"),
                        http: HTTPClient(
                            configuration: S3Client.httpConfiguration(for: settings()),
                            logger: Logger(label: "probe")),
                        retry: .never)
                    try await client.put(key: ".ready-probe", data: Data("ok".utf8), createOnly: false)
                    if try await client.get(key: ".ready-probe", maxBytes: 16) == Data("ok".utf8) { return }
                } catch {
                    last = "\(error)"
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("private SeaweedFS was not ready within \(timeout) (last error: \(last)):\n\(server?.logTail ?? "")")
    }

    deinit { stop() }

    /// A base port with base…base+4 and each +10000 free, below Linux's ephemeral range.
    static func freePortBlock() throws -> Int {
        for _ in 0..<200 {
            let base = Int.random(in: 10000..<19000)
            let ports = (0..<5).flatMap { [base + $0, base + $0 + 10000] }
            if ports.allSatisfy({ TCPProbe.isFree(port: $0) }) { return base }
        }
        throw TestFailure("no free block of ports for a private SeaweedFS")
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestFailure("\(executable) \(arguments.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
    }
}
