import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

/// The one table of variables (`SettingVariable.all`) against what else names them: the tables of
/// docs/settings.md row by row, `Settings.load`, and the rows of `check --show-settings`.
@Suite("Setting variables")
struct SettingVariableTests {
    /// Every row of docs/settings.md's tables headed `| variable | default | meaning |`: the
    /// backticked names of the first column and the default column without backticks.
    static func readmeRows() throws -> [(names: [String], defaultValue: String)] {
        let text = try String(contentsOf: Fixture.repository.appendingPathComponent("docs/settings.md"), encoding: .utf8)
        var rows: [(names: [String], defaultValue: String)] = []
        var inTable = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("| variable | default | meaning |") {
                inTable = true
                continue
            }
            guard inTable, line.hasPrefix("|") else {
                inTable = false
                continue
            }
            if line.hasPrefix("| ---") { continue }
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let names = cells[1].split(separator: "`", omittingEmptySubsequences: false).enumerated().filter { $0.offset % 2 == 1 }.map { String($0.element) }
            rows.append((names, cells[2].replacingOccurrences(of: "`", with: "")))
        }
        return rows
    }

    @Test("docs/settings.md's tables hold the same rows as the table in the code: names and defaults")
    func readmeAgrees() throws {
        let readme = try Self.readmeRows()
        #expect(readme.count > 20, "docs/settings.md's tables were found")
        let documented = Set(readme.map { $0.names.joined(separator: ",") + " = " + $0.defaultValue })
        let coded = Set(SettingVariable.all.map { $0.names.joined(separator: ",") + " = " + $0.defaultValue })
        #expect(documented.subtracting(coded).sorted() == [], "in docs/settings.md, not in SettingVariable.all")
        #expect(coded.subtracting(documented).sorted() == [], "in SettingVariable.all, not in docs/settings.md")
    }

    @Test("every name once; Settings reads exactly these; every command named exists")
    func consistent() {
        let names = SettingVariable.all.flatMap(\.names)
        #expect(Set(names).count == names.count)
        #expect(Settings.variableNames == names)
        let commands = Set(["pre-taste", "post-taste", "restore", "snapshot", "compare", "check", "await-job"])
        for entry in SettingVariable.all {
            #expect(!entry.commands.isEmpty && Set(entry.commands).isSubset(of: commands), "\(entry.names)")
            #expect(!entry.meaning.isEmpty)
        }
    }

    /// Every settable variable with a valid value; `parts` chooses MONGO_NODE... over MONGODB_URI
    /// and a kubeconfig over in-cluster access (the other rows of --show-settings).
    static func everything(parts: Bool) -> [String: String] {
        let file = Fixture.url("sigv4-test-suite.json").path // any readable file
        var values = [
            "TASTER_DATABASE": "shop", "TASTER_COLLECTIONS": "orders", "TASTER_CHECKS": file, "TASTER_MONGO_WAIT": "30s",
            "AWS_ENDPOINT_URL_S3": "https://s3.example.com", "AWS_ACCESS_KEY_ID": "AKIAEXAMPLE", "AWS_SECRET_ACCESS_KEY": "secret-key-value",
            "AWS_SESSION_TOKEN": "session-token-value", "AWS_REGION": "eu-west-1", "TASTER_BUCKET": "reports", "TASTER_PREFIX": "p/q",
            "AWS_CA_BUNDLE": file, "TASTER_S3_ADDRESSING": "virtual", "TASTER_S3_INSECURE": "false",
            "TASTER_KUBE_CONTEXT": "staging", "TASTER_NAMESPACE": "shop", "TASTER_WORKLOADS": "deployment/web=1",
            "TASTER_READY_TIMEOUT": "1m", "TASTER_DEADLINE": "10m", "TASTER_APP": "shop", "TASTER_RUN_ID": "r1",
            "TASTER_MAX_BASELINE_AGE": "2h", "TASTER_LOG_FORMAT": "json", "TASTER_ARGOCD_APP": "stage-shop",
            "TASTER_ARGOCD_NAMESPACE": "argo", "TASTER_NOTIFY_URL": "https://hooks.example.com/x", "TASTER_NOTIFY_FORMAT": "slack",
            "TASTER_NOTIFY_ON": "always", "TASTER_PUSHGATEWAY_URL": "http://pushgateway.monitoring:9091",
        ]
        if parts {
            values.merge([
                "MONGO_NODE": "mongo.shop.svc", "MONGO_PORT": "27018", "MONGO_USER": "taster", "MONGO_PASS": "pw",
                "KUBECONFIG": file, "TASTER_PUSHGATEWAY_USERNAME": "taster", "TASTER_PUSHGATEWAY_PASSWORD": "pushgateway-password",
                "TASTER_REPORT_BASE_URL": "https://reports.example.com/reports",
            ]) { $1 }
        } else {
            values.merge([
                "MONGODB_URI": "mongodb://mongo.shop.svc:27017/", "KUBERNETES_SERVICE_HOST": "10.0.0.1",
                "KUBERNETES_SERVICE_PORT": "443", "TASTER_PUSHGATEWAY_TOKEN": "pushgateway-token", "TASTER_LINK_EXPIRY": "24h",
            ]) { $1 }
        }
        return values
    }

    @Test("check --show-settings: each row is one the table names, from one of that entry's variables")
    func showSettingsAgrees() throws {
        var shown: Set<String> = []
        for parts in [false, true] {
            let settings = try Settings.load(from: Environment(Self.everything(parts: parts)))
            for row in settings.rows where row.setting != "ignored" {
                shown.insert(row.setting)
                let entries = SettingVariable.all.filter { $0.shownAs.contains(row.setting) }
                #expect(!entries.isEmpty, "\(row.setting) is in no entry's shownAs")
                if row.source.allSatisfy({ $0.isUppercase || $0 == "_" || $0.isNumber }) {
                    #expect(entries.contains { $0.names.contains(row.source) }, "\(row.setting) comes from \(row.source), not a variable that shows as it")
                }
            }
        }
        let promised = Set(SettingVariable.all.flatMap(\.shownAs))
        #expect(promised.subtracting(shown).sorted() == [], "help settings names rows --show-settings does not print")
    }

    @Test("TASTER_MAX_BASELINE_AGE: read like every duration, 24h by default, exit 2 when malformed")
    func maxBaselineAge() throws {
        #expect(try Settings.load(from: Environment([:])).maxBaselineAge == .seconds(86_400))
        #expect(try Settings.load(from: Environment(["TASTER_MAX_BASELINE_AGE": "90m"])).maxBaselineAge == .seconds(5400))
        var environment = Environment([:])
        environment.override("TASTER_MAX_BASELINE_AGE", with: "soon", flag: "--max-baseline-age")
        #expect(throws: ConfigurationError.self) { try Settings.load(from: environment) }
        do {
            _ = try Settings.load(from: Environment(["TASTER_MAX_BASELINE_AGE": "0s"]))
            Issue.record("0s was accepted")
        } catch {
            #expect(error.problems.map(\.variable) == ["TASTER_MAX_BASELINE_AGE"])
        }
    }

    @Test("flag help quotes the table's variables and default once")
    func flagHelp() {
        #expect(
            SettingVariable.flagHelp("Region to sign for", variable: "AWS_REGION")
                == "Region to sign for (AWS_REGION / AWS_DEFAULT_REGION, default us-east-1).")
        #expect(SettingVariable.flagHelp("Bucket", variable: "TASTER_BUCKET") == "Bucket (TASTER_BUCKET / S3_RESULTS_BUCKET / S3_BUCKET).")
    }

    @Test("help settings: every variable under its section, no line wider than 80")
    func helpText() {
        let text = SettingVariable.helpText
        for entry in SettingVariable.all {
            #expect(text.contains("\n  " + entry.names.joined(separator: ", ")), "\(entry.names)")
        }
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 80 })
    }
}
