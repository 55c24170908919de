import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// `taster compare` with a checks file: the file's judgement, on the reports' measurements.
@Suite("Checks file rules in a comparison")
struct ChecksFileRulesTests {
    func snapshot(_ checks: [CheckResult]) -> Snapshot {
        Snapshot(database: "shop", serverVersion: nil, takenAt: "2026-11-21T10:00:00.000Z", clock: "server", durationSeconds: 0, checks: checks)
    }

    func result(_ name: String, _ value: Int64, kind: CheckKind = .count, parameters: [String: String] = [:]) -> CheckResult {
        CheckResult(
            name: name, kind: kind, database: "shop", collection: "orders", value: .int64(value), durationSeconds: 0,
            parameters: parameters)
    }

    func rules(_ text: String) throws -> ChecksFileRules {
        ChecksFileRules(
            file: "new.yaml", checks: try ChecksFile.parse(text, file: "new.yaml", defaultDatabase: "shop", dialect: MongoCheckDialect()),
            dialect: MongoCheckDialect())
    }

    @Test("the file's rule, severity and allowMissing replace the recorded ones on both sides, and the notes say which")
    func applies() throws {
        var pre = snapshot([result("orders", 10), result("paid", 5, parameters: ["filter": "{ \"status\" : \"paid\" }"]), result("kept", 1)])
        var post = snapshot([result("orders", 9), result("paid", 5, parameters: ["filter": "{ \"status\" : \"paid\" }"]), result("kept", 1)])
        let applied = try rules(
            """
            checks:
              - {name: orders, kind: count, collection: orders, rule: no-increase, severity: warn}
              - {name: paid, kind: count, collection: orders, filter: {status: paid}}
              - {name: gone, kind: count, collection: orders, allowMissing: true}
            """
        ).apply(pre: &pre, post: &post)
        #expect(applied.changes == ["orders: rule equal → no-increase", "orders: severity fail → warn"])
        #expect(applied.unnamed == ["kept"] && applied.unused == ["gone"])
        #expect(pre.checks[0].rule == .noIncrease && post.checks[0].severity == .warn)
        #expect(
            applied.notes(file: "new.yaml") == [
                "rules from checks file new.yaml: orders: rule equal → no-increase; orders: severity fail → warn",
                "checks the file does not name keep the rules recorded in the reports: kept",
                "checks of the file that neither report has (not applied): gone",
            ])
        let verdict = Verdict.make(
            preSnapshot: pre, postSnapshot: post, runID: "r", app: "shop", namespace: nil, preKey: nil, postKey: nil,
            reportOnly: false, createdAt: "now", notes: applied.notes(file: "new.yaml"))
        #expect(verdict.result == .pass && verdict.checks[0].result == .pass)
    }

    @Test("a file whose check of a name measures something else belongs to other reports: exit 2")
    func otherMeasurement() throws {
        var pre = snapshot([result("paid", 5, parameters: ["filter": "{ \"status\" : \"paid\" }"])])
        var post = pre
        let otherFilter = try rules("checks:\n  - {name: paid, kind: count, collection: orders, filter: {status: open}}\n")
        let otherKind = try rules("checks:\n  - {name: paid, kind: sum, collection: orders, field: total}\n")
        do {
            _ = try otherFilter.apply(pre: &pre, post: &post)
            Issue.record("expected a ChecksFileError")
        } catch {
            #expect(error.exitCode == .usage)
            #expect(
                error.description == "checks file new.yaml, check \"paid\": measures another filter than in the reports, so its rule is "
                    + "not for these reports; compare with the checks file they were taken with")
        }
        do {
            _ = try otherKind.apply(pre: &pre, post: &post)
            Issue.record("expected a ChecksFileError")
        } catch {
            #expect(error.description.contains("measures sum of shop.orders (count of shop.orders in the reports)"))
        }
    }
}
