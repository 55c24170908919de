import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// Settings from environment variables: every variable, both spellings, precedence, malformed
/// values (exit 2 naming the variable with an example), and redaction.
@Suite("Settings")
struct SettingsTests {
    func load(_ values: [String: String]) throws(ConfigurationError) -> Settings {
        try Settings.load(from: Environment(values))
    }

    func problems(_ values: [String: String]) -> [ConfigurationProblem] {
        do {
            _ = try Settings.load(from: Environment(values))
            return []
        } catch {
            return error.problems
        }
    }

    @Test("defaults when nothing is set")
    func defaults() throws {
        let settings = try load(["HOME": "/home/u"])
        #expect(settings.mongo.connection == nil)
        #expect(settings.mongo.database == "pxbbq")
        #expect(settings.mongo.collections == ["orders", "registrations"])
        #expect(settings.mongo.checksFile == nil)
        #expect(settings.mongo.wait == .seconds(120))
        #expect(settings.s3.region == "us-east-1")
        #expect(settings.s3.endpoint == nil)
        #expect(settings.s3.effectiveEndpoint.description == "https://s3.us-east-1.amazonaws.com")
        #expect(settings.s3.addressing == .path)
        #expect(settings.s3.bucket == nil)
        #expect(settings.kubernetes.access == .kubeconfig(paths: ["/home/u/.kube/config"]))
        #expect(settings.kubernetes.workloads.isEmpty)
        #expect(settings.kubernetes.workloads.isEmpty)
        #expect(settings.kubernetes.readyTimeout == .seconds(300))
        #expect(settings.deadline == .seconds(900))
        #expect(settings.logFormat == .text)
        #expect(settings.app == nil && settings.runID == nil)
    }

    // MARK: MongoDB

    @Test("MONGODB_URI is used as given")
    func mongoURI() throws {
        let settings = try load(["MONGODB_URI": "mongodb://u:p@db:27017/?authSource=admin"])
        #expect(settings.mongo.uri == "mongodb://u:p@db:27017/?authSource=admin")
    }

    @Test("MONGO_NODE/USER/PASS build a URI with user and password percent-escaped")
    func mongoParts() throws {
        let settings = try load(["MONGO_NODE": "mongo.pxbbq.svc", "MONGO_USER": "us@r", "MONGO_PASS": "p@ss:w/rd%?x"])
        #expect(settings.mongo.uri == "mongodb://us%40r:p%40ss%3Aw%2Frd%25%3Fx@mongo.pxbbq.svc:27017/")
        let custom = try load(["MONGO_NODE": "db", "MONGO_PORT": "27018"])
        #expect(custom.mongo.uri == "mongodb://db:27018/")
    }

    @Test("MONGODB_URI wins over MONGO_NODE and the loser is reported as ignored")
    func mongoPrecedence() throws {
        let settings = try load(["MONGODB_URI": "mongodb://a:1/", "MONGO_NODE": "b"])
        #expect(settings.mongo.uri == "mongodb://a:1/")
        #expect(settings.shadowed.contains { $0.ignored == "MONGO_NODE" && $0.winner == "MONGODB_URI" })
    }

    @Test(
        "malformed MongoDB values name the variable and give an example",
        arguments: [
            (["MONGODB_URI": "http://db"], "MONGODB_URI"),
            (["MONGODB_URI": "mongodb://"], "MONGODB_URI"),
            // libmongoc's own parse, and the TLS files it names: found before anything is scaled.
            (["MONGODB_URI": "mongodb://u:p@db:99999/"], "MONGODB_URI"),
            (["MONGODB_URI": "mongodb://db/?tls=true&tlsCAFile=/nonexistent/ca.pem"], "MONGODB_URI"),
            (["MONGO_NODE": "mongodb://db"], "MONGO_NODE"),
            (["MONGO_NODE": "db", "MONGO_PORT": "70000"], "MONGO_PORT"),
            (["MONGO_NODE": "db", "MONGO_PORT": "abc"], "MONGO_PORT"),
            (["MONGO_NODE": "db", "MONGO_PASS": "x"], "MONGO_USER"),
            (["MONGO_NODE": "db", "MONGO_USER": "x"], "MONGO_PASS"),
            (["TASTER_DATABASE": "a.b"], "TASTER_DATABASE"),
            (["TASTER_COLLECTIONS": "orders,,x"], "TASTER_COLLECTIONS"),
            (["TASTER_COLLECTIONS": "a$b"], "TASTER_COLLECTIONS"),
            (["TASTER_COLLECTIONS": "a,a"], "TASTER_COLLECTIONS"),
            (["TASTER_CHECKS": "/nonexistent/checks.yaml"], "TASTER_CHECKS"),
            (["TASTER_MONGO_WAIT": "2"], "TASTER_MONGO_WAIT"),
        ])
    func malformedMongo(values: [String: String], variable: String) {
        let found = problems(values)
        #expect(found.count == 1)
        #expect(found.first?.variable == variable)
        #expect(found.first?.example.hasPrefix(variable + "=") == true)
    }

    @Test("collections, database, checks and wait are read")
    func mongoValues() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("taster-checks-\(UUID()).yaml")
        try "checks: []\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let settings = try load([
            "TASTER_DATABASE": "shop", "TASTER_COLLECTIONS": " a , b ,c",
            "TASTER_CHECKS": file.path, "TASTER_MONGO_WAIT": "1m30s",
        ])
        #expect(settings.mongo.database == "shop")
        #expect(settings.mongo.collections == ["a", "b", "c"])
        #expect(settings.mongo.checksFile == file.path)
        #expect(settings.mongo.wait == .seconds(90))
    }

    // MARK: S3

    @Test("standard S3 names are read")
    func s3Standard() throws {
        let settings = try load([
            "AWS_ENDPOINT_URL_S3": "https://minio.example.com:9000", "AWS_ACCESS_KEY_ID": "AKID",
            "AWS_SECRET_ACCESS_KEY": "sec", "AWS_SESSION_TOKEN": "tok", "AWS_REGION": "eu-west-1",
            "TASTER_BUCKET": "reports", "TASTER_PREFIX": "/team/a/", "TASTER_S3_ADDRESSING": "virtual",
        ])
        #expect(settings.s3.endpoint == S3Endpoint(scheme: "https", host: "minio.example.com", port: 9000))
        #expect(settings.s3.accessKeyID == "AKID")
        #expect(settings.s3.secretAccessKey == "sec")
        #expect(settings.s3.sessionToken == "tok")
        #expect(settings.s3.region == "eu-west-1")
        #expect(settings.s3.bucket == "reports")
        #expect(settings.s3.prefix == "team/a")
        #expect(settings.s3.addressing == .virtual)
        #expect((try? settings.requireS3()) != nil, "everything needed to sign requests to the bucket is set")
    }

    @Test("the demo's S3 names are read")
    func s3Demo() throws {
        let settings = try load([
            "S3_URL": "minio:9000", "S3_ACCESSKEY": "AKID", "S3_SECRETKEY": "sec",
            "S3_RESULTS_BUCKET": "results", "AWS_DEFAULT_REGION": "ap-south-1",
        ])
        #expect(settings.s3.endpoint == S3Endpoint(scheme: "https", host: "minio", port: 9000))
        #expect(settings.s3.accessKeyID == "AKID")
        #expect(settings.s3.secretAccessKey == "sec")
        #expect(settings.s3.bucket == "results")
        #expect(settings.s3.region == "ap-south-1")
        let plain = try load(["S3_URL": "minio:9000", "TASTER_S3_INSECURE": "true", "S3_BUCKET": "b-1"])
        #expect(plain.s3.endpoint?.description == "http://minio:9000")
        #expect(plain.s3.bucket == "b-1")
    }

    @Test("when both spellings are set, the standard one wins")
    func s3Precedence() throws {
        let settings = try load([
            "AWS_ENDPOINT_URL_S3": "https://s3-specific", "AWS_ENDPOINT_URL": "https://general", "S3_URL": "demo:1",
            "AWS_ACCESS_KEY_ID": "std", "S3_ACCESSKEY": "demo", "AWS_SECRET_ACCESS_KEY": "stdQ7kx9w", "S3_SECRETKEY": "demoQ7kx9w",
            "AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2",
            "TASTER_BUCKET": "taster-b", "S3_RESULTS_BUCKET": "results-b", "S3_BUCKET": "bucket-b",
        ])
        #expect(settings.s3.endpoint?.host == "s3-specific")
        #expect(settings.s3.accessKeyID == "std")
        #expect(settings.s3.secretAccessKey == "stdQ7kx9w")
        #expect(settings.s3.region == "eu-west-1")
        #expect(settings.s3.bucket == "taster-b")
        let ignored = Set(settings.shadowed.map(\.ignored))
        #expect(ignored == ["AWS_ENDPOINT_URL", "S3_URL", "S3_ACCESSKEY", "S3_SECRETKEY", "AWS_DEFAULT_REGION", "S3_RESULTS_BUCKET", "S3_BUCKET"])
        let middle = try load(["AWS_ENDPOINT_URL": "http://general:8333", "S3_URL": "demo:1", "S3_RESULTS_BUCKET": "results-b", "S3_BUCKET": "bucket-b"])
        #expect(middle.s3.endpoint?.description == "http://general:8333")
        #expect(middle.s3.bucket == "results-b")
    }

    @Test(
        "endpoints with and without scheme and port, IPv6 bracketed",
        arguments: [
            ("http://127.0.0.1:8333", "http://127.0.0.1:8333", "127.0.0.1:8333"),
            ("https://s3.example.com/", "https://s3.example.com", "s3.example.com"),
            ("https://s3.example.com:443", "https://s3.example.com:443", "s3.example.com"),
            ("minio:9000", "https://minio:9000", "minio:9000"),
            ("[::1]:9000", "https://[::1]:9000", "[::1]:9000"),
            ("HTTP://Host", "http://Host", "Host"),
        ])
    func endpoints(text: String, description: String, hostHeader: String) throws {
        let endpoint = try S3Endpoint.parse(text, defaultScheme: "https").get()
        #expect(endpoint.description == description)
        #expect(endpoint.hostAndPort == hostHeader)
    }

    @Test(
        "malformed S3 values name the variable",
        arguments: [
            (["AWS_ENDPOINT_URL": "ftp://x"], "AWS_ENDPOINT_URL"),
            (["AWS_ENDPOINT_URL_S3": "https://x/path"], "AWS_ENDPOINT_URL_S3"),
            (["S3_URL": "host:99999"], "S3_URL"),
            (["S3_URL": "::1:9000"], "S3_URL"),
            (["AWS_ACCESS_KEY_ID": "a"], "AWS_SECRET_ACCESS_KEY"),
            (["S3_SECRETKEY": "a"], "AWS_ACCESS_KEY_ID"),
            (["AWS_REGION": "eu west"], "AWS_REGION"),
            (["TASTER_BUCKET": "Upper_Case"], "TASTER_BUCKET"),
            (["S3_BUCKET": "ab"], "S3_BUCKET"),
            (["TASTER_PREFIX": "a//b"], "TASTER_PREFIX"),
            (["TASTER_PREFIX": "a/../b"], "TASTER_PREFIX"),
            (["AWS_CA_BUNDLE": "/nonexistent/ca.pem"], "AWS_CA_BUNDLE"),
            (["TASTER_S3_ADDRESSING": "dns"], "TASTER_S3_ADDRESSING"),
            (["TASTER_S3_INSECURE": "maybe"], "TASTER_S3_INSECURE"),
        ])
    func malformedS3(values: [String: String], variable: String) {
        let found = problems(values)
        #expect(found.map(\.variable) == [variable])
        #expect(found.first?.example.hasPrefix(variable + "=") == true)
    }

    @Test("requireS3 names every missing piece")
    func requireS3() throws {
        let settings = try load([:])
        #expect(throws: ConfigurationError.self) { try settings.requireS3() }
        do {
            _ = try settings.requireS3()
        } catch {
            #expect(error.problems.map(\.variable) == ["TASTER_BUCKET", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"])
            #expect(error.exitCode == .usage)
        }
        #expect(throws: ConfigurationError.self) { try settings.requireMongo() }
    }

    // MARK: Kubernetes

    @Test("in-cluster access from KUBERNETES_SERVICE_HOST/PORT wins over KUBECONFIG")
    func inCluster() throws {
        let settings = try load(["KUBERNETES_SERVICE_HOST": "10.0.0.1", "KUBERNETES_SERVICE_PORT": "6443", "KUBECONFIG": "/x"])
        #expect(settings.kubernetes.access == .inCluster(host: "10.0.0.1", port: 6443))
        let v6 = try load(["KUBERNETES_SERVICE_HOST": "fd00::1"])
        #expect(v6.kubernetes.access == .inCluster(host: "fd00::1", port: 443))
        #expect(v6.rows.contains { $0.value == "in-cluster https://[fd00::1]:443" })
    }

    @Test("KUBECONFIG is a colon-separated list, as kubectl reads it")
    func kubeconfigList() throws {
        let settings = try load(["KUBECONFIG": "/a/config::/b/config", "TASTER_KUBE_CONTEXT": "staging"])
        #expect(settings.kubernetes.access == .kubeconfig(paths: ["/a/config", "/b/config"]))
        #expect(settings.kubernetes.context == "staging")
    }

    @Test("TASTER_WORKLOADS is parsed with kubectl's kind spellings")
    func workloads() throws {
        let settings = try load([
            "TASTER_WORKLOADS": "statefulset/mongo=1, deploy/pxbbq-web=2,sts/cache,deployment/idle=0",
            "TASTER_NAMESPACE": "pxbbq", "TASTER_READY_TIMEOUT": "90s",
        ])
        #expect(
            settings.kubernetes.workloads == [
                WorkloadTarget(kind: .statefulset, name: "mongo", replicas: 1),
                WorkloadTarget(kind: .deployment, name: "pxbbq-web", replicas: 2),
                WorkloadTarget(kind: .statefulset, name: "cache", replicas: 1),
                WorkloadTarget(kind: .deployment, name: "idle", replicas: 0),
            ])
        #expect(!settings.kubernetes.workloads.isEmpty)
        #expect(settings.kubernetes.namespace == "pxbbq")
        #expect(settings.kubernetes.readyTimeout == .seconds(90))
    }

    @Test(
        "malformed Kubernetes values name the variable",
        arguments: [
            (["TASTER_WORKLOADS": "mongo=1"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "daemonset/x=1"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "deployment/Web=1"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "deployment/web=-1"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "deployment/web=x"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "deployment/web,deploy/web"], "TASTER_WORKLOADS"),
            (["TASTER_WORKLOADS": "deployment/web,"], "TASTER_WORKLOADS"),
            (["TASTER_NAMESPACE": "Px_BBQ"], "TASTER_NAMESPACE"),
            (["TASTER_READY_TIMEOUT": "5 minutes"], "TASTER_READY_TIMEOUT"),
            (["TASTER_DEADLINE": "0s"], "TASTER_DEADLINE"),
            (["TASTER_DEADLINE": "-5m"], "TASTER_DEADLINE"),
            (["KUBERNETES_SERVICE_HOST": "h", "KUBERNETES_SERVICE_PORT": "x"], "KUBERNETES_SERVICE_PORT"),
        ])
    func malformedKubernetes(values: [String: String], variable: String) {
        let found = problems(values)
        #expect(found.map(\.variable) == [variable])
        #expect(found.first?.example.hasPrefix(variable + "=") == true)
    }

    // MARK: Run

    @Test("app, run id, log format and deadline")
    func run() throws {
        let settings = try load(["TASTER_APP": "pxbbq", "TASTER_RUN_ID": "sync-abc123_1", "TASTER_LOG_FORMAT": "JSON", "TASTER_DEADLINE": "1h"])
        #expect(settings.app == "pxbbq")
        #expect(settings.runID == "sync-abc123_1")
        #expect(settings.logFormat == .json)
        #expect(settings.deadline == .seconds(3600))
    }

    @Test(
        "malformed run values name the variable",
        arguments: [
            (["TASTER_APP": "a/b"], "TASTER_APP"),
            (["TASTER_RUN_ID": "../escape"], "TASTER_RUN_ID"),
            (["TASTER_RUN_ID": String(repeating: "x", count: 129)], "TASTER_RUN_ID"),
            (["TASTER_LOG_FORMAT": "xml"], "TASTER_LOG_FORMAT"),
        ])
    func malformedRun(values: [String: String], variable: String) {
        #expect(problems(values).map(\.variable) == [variable])
    }

    @Test("every problem is reported at once, and the error exits 2")
    func allProblems() {
        do {
            _ = try load(["TASTER_DEADLINE": "x", "TASTER_WORKLOADS": "x", "S3_URL": "ftp://a"])
            Issue.record("expected a configuration error")
        } catch {
            #expect(error.problems.map(\.variable) == ["S3_URL", "TASTER_WORKLOADS", "TASTER_DEADLINE"])
            #expect(error.exitCode == .usage)
            #expect(error.description.contains("TASTER_DEADLINE: \"x\" is not a positive duration"))
            #expect(error.description.contains("for example TASTER_DEADLINE=15m"))
        }
    }

    @Test("empty values count as unset")
    func emptyIsUnset() throws {
        let settings = try load(["TASTER_DATABASE": "", "MONGODB_URI": "", "MONGO_NODE": "db", "TASTER_BUCKET": "", "S3_BUCKET": "fallback"])
        #expect(settings.mongo.database == "pxbbq")
        #expect(settings.mongo.uri == "mongodb://db:27017/")
        #expect(settings.s3.bucket == "fallback")
    }

    @Test("a flag overrides its variable and is named as the source")
    func flagOverride() throws {
        var environment = Environment(["TASTER_DATABASE": "fromenv", "TASTER_DEADLINE": "bad"])
        environment.override("TASTER_DATABASE", with: "fromflag", flag: "--database")
        environment.override("TASTER_DEADLINE", with: "xx", flag: "--deadline")
        environment.override("TASTER_APP", with: nil, flag: "--app")
        do {
            _ = try Settings.load(from: environment)
            Issue.record("expected a configuration error")
        } catch {
            #expect(error.problems.map(\.variable) == ["--deadline"])
        }
        environment.override("TASTER_DEADLINE", with: "10m", flag: "--deadline")
        let settings = try Settings.load(from: environment)
        #expect(settings.mongo.database == "fromflag")
        #expect(settings.deadline == .seconds(600))
        #expect(settings.rows.contains(.init(setting: "mongodb.database", value: "fromflag", source: "--database")))
    }

    // MARK: Redaction

    @Test("show-settings masks passwords, secret keys, tokens and URI user info")
    func redaction() throws {
        let secrets = ["uriPa55word", "mongoPa55", "s3Kq9/+x7Wd", "sTk3nQ8vZ", "c3rtpQzz", "0ldC3rtPw"]
        let uri = try load([
            "MONGODB_URI": "mongodb://alice:uriPa55word@db:27017/?tls=true&tlsCertificateKeyFilePassword=c3rtpQzz",
            "AWS_ACCESS_KEY_ID": "AKIDVISIBLE", "AWS_SECRET_ACCESS_KEY": "s3Kq9/+x7Wd", "AWS_SESSION_TOKEN": "sTk3nQ8vZ",
        ])
        // libmongoc's older name of the key password (it refuses both names at once).
        let older = try load(["MONGODB_URI": "mongodb://alice:uriPa55word@db:27017/?tls=true&sslClientCertificateKeyPassword=0ldC3rtPw"])
        let parts = try load(["MONGO_NODE": "db", "MONGO_USER": "bob", "MONGO_PASS": "mongoPa55"])
        let output = uri.table + "\n" + older.table + "\n" + parts.table
        for secret in secrets {
            #expect(!output.contains(secret), "\(secret) leaked")
        }
        #expect(output.contains("mongodb://****@db:27017/?tls=true&tlsCertificateKeyFilePassword=****"))
        #expect(output.contains("mongodb://****@db:27017/?tls=true&sslClientCertificateKeyPassword=****"))
        #expect(SettingsSummary(settings: older, prefix: nil).mongodb == "mongodb://****@db:27017/?tls=true&sslClientCertificateKeyPassword=****")
        #expect(output.contains("AKIDVISIBLE"))
        #expect(output.contains("bob"))
    }

    @Test(
        "a connection string is shown by allow-list: no user info, unknown options not even named",
        arguments: [
            ("mongodb://u:p@h/", "mongodb://****@h/"),
            ("mongodb://u:pa/ss@h:1/db", "mongodb://****@h:1/db"),
            ("mongodb://u:p@ss@h/", "mongodb://****@h/"),
            ("mongodb://u:pa?ss@h/db?authSource=admin", "mongodb://****@h/db?authSource=admin"),
            ("mongodb://h1,h2/?replicaSet=rs", "mongodb://h1,h2/?replicaSet=rs"),
            ("mongodb+srv://u@cluster/", "mongodb+srv://****@cluster/"),
            ("mongodb://h/?tlsCAFile=/etc/a@b.pem&appname=x", "mongodb://h/?tlsCAFile=/etc/a@b.pem&appname=x"),
            ("mongodb://h/?authMechanismProperties=AWS_SESSION_TOKEN:tok&Hunter2Pw", "mongodb://h/?authMechanismProperties=****&****"),
            ("mongodb://h/?SSLClientCertificateKeyPassword=pw&w=majority", "mongodb://h/?SSLClientCertificateKeyPassword=****&w=majority"),
        ])
    func uriRedaction(uri: String, expected: String) {
        #expect(ConnectionString(uri)?.display == expected)
    }

    @Test(
        "user info that is not percent-escaped is found, and the rest is not",
        arguments: [
            ("mongodb://taster:Summer@2024-Secret@h:27017/db", true),
            ("mongodb://taster:pa/ss@h/", true),
            ("mongodb://taster:pa?ss@h/", true),
            ("mongodb://taster:pa#ss@h/", true),
            ("mongodb://taster:pa:ss@h/", true),
            ("mongodb://taster:pa%zzss@h/", true),
            ("mongodb://taster:pa%4@h/", true),
            ("mongodb://taster:pa ss@h/", true),
            ("mongodb://ta@ster:pass@h/", true),
            ("mongodb://taster:Summer%402024-Secret@h:27017/db", false),
            ("mongodb://taster:p!$&'()*+,;=~._-@h/", false),
            ("mongodb://h/?tlsCAFile=/etc/a@b.pem", false),
            ("mongodb://h1:1,h2:2/", false),
        ])
    func userInfoEscaping(uri: String, refused: Bool) {
        #expect((ConnectionString(uri)?.userInfoProblem != nil) == refused)
    }

    @Test("user info in MONGODB_URI that is not escaped: exit 2 naming the variable and the escapes, no part of the value")
    func unescapedUserInfo() {
        let found = problems(["MONGODB_URI": "mongodb://taster:Summer@2024-Qz7Secret@db:27017/?authSource=admin"])
        #expect(found.count == 1 && found[0].variable == "MONGODB_URI")
        #expect(found[0].description.contains("%40") && found[0].description.contains("MONGO_PASS"))
        for piece in ["Summer", "2024", "Qz7", "db:27017"] {
            #expect(!found[0].description.contains(piece), "\(piece) shown")
        }
    }

    @Test(
        "values that may hold user info or a token are not echoed in settings errors",
        arguments: [
            ("MONGO_NODE", "taster:N0deQz7pw@db"),
            ("AWS_ENDPOINT_URL", "minio:9000/?X-Amz-Security-Token=EndQz7tok"),
            ("AWS_ENDPOINT_URL", "https://minio:9000/b?token=EndQz7tok"),
            ("AWS_ENDPOINT_URL", "https://u:EndQz7pw@minio:9000"),
        ])
    func notEchoed(variable: String, value: String) {
        let found = problems([variable: value])
        #expect(found.count == 1 && found[0].variable == variable)
        #expect(!found[0].description.contains("Qz7"))
    }

    @Test("a malformed URI is reported without its value")
    func malformedURIHidesValue() {
        for uri in ["mongo://user:hunter2@db", "mongodb://user:hunter2@db:99999/"] {
            let found = problems(["MONGODB_URI": uri])
            #expect(found.count == 1)
            #expect(!found[0].description.contains("hunter2"))
        }
    }

    @Test("loaded secrets are registered with the redactor, raw and percent-encoded")
    func redactorRegistration() throws {
        _ = try load(["MONGO_NODE": "db", "MONGO_USER": "u", "MONGO_PASS": "reg/ist@red", "AWS_SECRET_ACCESS_KEY": "rgS3k", "AWS_ACCESS_KEY_ID": "a"])
        #expect(
            SecretRedactor.shared.scrub("x reg/ist@red y\nkept\nreg%2Fist%40red\nz rgS3k")
                == [
                    SecretRedactor.notice(["MONGO_PASS"]), "kept", SecretRedactor.notice(["MONGO_PASS"]), SecretRedactor.notice(["AWS_SECRET_ACCESS_KEY"]),
                ].joined(separator: "\n"))
    }
}

@Suite("Durations")
struct DurationParserTests {
    @Test(
        "Go-style durations",
        arguments: [
            ("90s", 90_000), ("2m", 120_000), ("1h30m", 5_400_000), ("500ms", 500), ("1.5s", 1500), ("15m", 900_000), ("0s", 0),
        ])
    func parses(text: String, milliseconds: Int64) {
        #expect(DurationParser.parse(text)?.milliseconds == milliseconds)
    }

    @Test("rejected spellings", arguments: ["", "5", "5x", "m", "1m5", "-1s", "1 m"])
    func rejects(text: String) {
        #expect(DurationParser.parse(text) == nil)
    }

    @Test("format reads back")
    func format() {
        for text in ["15m", "1h30m", "2h", "45s", "500ms", "1h1m1s"] {
            #expect(DurationParser.format(DurationParser.parse(text)!) == text)
        }
    }
}
