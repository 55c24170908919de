import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

@Suite("Comparison")
struct ComparatorTests {
    func check(
        _ name: String, _ value: CheckValue?, kind: CheckKind = .count, missing: Bool = false,
        rule: ComparisonRule = .equal, severity: Severity = .fail
    ) -> CheckResult {
        CheckResult(
            name: name, kind: kind, database: "pxbbq", collection: name, value: value, durationSeconds: 0.01,
            missing: missing, rule: rule, severity: severity)
    }

    func snapshot(_ checks: [CheckResult]) -> Snapshot {
        Snapshot(
            database: "pxbbq", serverVersion: "8.2", takenAt: "2026-11-21T10:00:00.000Z", clock: "server",
            durationSeconds: 0.1, checks: checks)
    }

    func compare(_ pre: CheckResult?, _ post: CheckResult?) -> CheckComparison {
        Comparator.compare(pre: pre, post: post)
    }

    @Test("equal counts pass; one document fewer fails with the delta")
    func equal() {
        #expect(compare(check("orders", .int64(1000)), check("orders", .int64(1000))).result == .pass)
        let lost = compare(check("orders", .int64(1000)), check("orders", .int64(997)))
        #expect(lost.result == .fail)
        #expect(lost.delta == "-3")
        #expect(lost.reason == "3 fewer, rule equal")
    }

    @Test(
        "rules",
        arguments: [
            (ComparisonRule.noDecrease, Int64(10), Int64(11), CheckComparison.Result.pass),
            (.noDecrease, 10, 9, .fail),
            (.noIncrease, 10, 9, .pass),
            (.noIncrease, 10, 11, .fail),
            (.tolerance(.absolute(2)), 10, 12, .pass),
            (.tolerance(.absolute(2)), 10, 7, .fail),
            (.tolerance(.percent(10)), 200, 180, .pass),
            (.tolerance(.percent(10)), 200, 179, .fail),
            (.tolerance(.percent(10)), 0, 0, .pass),
            (.tolerance(.percent(10)), 0, 1, .fail),
        ])
    func rules(rule: ComparisonRule, pre: Int64, post: Int64, expected: CheckComparison.Result) {
        #expect(compare(check("c", .int64(pre), rule: rule), check("c", .int64(post), rule: rule)).result == expected)
    }

    @Test("severity warn reports a broken rule without failing")
    func warn() {
        let result = compare(check("c", .int64(5), severity: .warn), check("c", .int64(4), severity: .warn))
        #expect(result.result == .warn)
        let verdict = Verdict.make(
            preSnapshot: snapshot([check("c", .int64(5), severity: .warn)]),
            postSnapshot: snapshot([check("c", .int64(4), severity: .warn)]),
            runID: "r1", app: "pxbbq", namespace: "pxbbq", preKey: nil, postKey: nil,
            reportOnly: false, createdAt: "now")
        #expect(verdict.result == .pass)
        #expect(verdict.summary == "taster: PASS pxbbq run r1: 1 check passed, 1 warning")
    }

    @Test("int64 beyond 2^53 and Decimal128 compare exactly")
    func exact() {
        let big = Int64(1) << 53
        let result = compare(check("s", .int64(big), kind: .sum), check("s", .int64(big + 1), kind: .sum))
        #expect(result.result == .fail && result.delta == "+1")
        #expect(compare(check("s", .int64(.max)), check("s", .int64(.min))).delta == "-18446744073709551615")
        let decimal = compare(
            check("d", .decimal("12345678901234567890.000000000001"), kind: .sum),
            check("d", .decimal("12345678901234567890.000000000002"), kind: .sum))
        #expect(decimal.result == .fail)
        #expect(decimal.delta == "+0.000000000001")
        #expect(compare(check("d", .decimal("1.10")), check("d", .decimal("1.1"))).result == .pass)
    }

    @Test("a decimal longer than 38 significant digits (PostgreSQL numeric) is compared by its exact text, never rounded")
    func beyondDecimal() {
        let before = "1157920892373161954235709850086879078532699846656405640394575840079131296399"
        let after = "1157920892373161954235709850086879078532699846656405640394575840079131296398"
        let changed = compare(check("s", .decimal(before), kind: .sum), check("s", .decimal(after), kind: .sum))
        #expect(changed.result == .fail)
        #expect(compare(check("s", .decimal(before), kind: .sum), check("s", .decimal(before), kind: .sum)).result == .pass)
        let small = compare(
            check("s", .decimal("1.00000000000000000000000000000000000000001"), kind: .sum),
            check("s", .decimal("1.00000000000000000000000000000000000000002"), kind: .sum))
        #expect(small.result == .fail)
        let ordered = compare(
            check("s", .decimal(before), kind: .sum, rule: .noDecrease), check("s", .decimal(before), kind: .sum, rule: .noDecrease))
        #expect(ordered.result == .fail)
        #expect(ordered.reason?.contains("38 significant digits") == true)
        #expect(!CheckValue.decimal("0.000000000000000000000000000000000000000001").exceedsDecimalPrecision)
    }

    @Test("fingerprints can only be equal")
    func digests() {
        #expect(compare(check("f", .digest("ab"), kind: .fingerprint), check("f", .digest("ab"), kind: .fingerprint)).result == .pass)
        #expect(compare(check("f", .digest("ab"), kind: .fingerprint), check("f", .digest("cd"), kind: .fingerprint)).result == .fail)
        let misconfigured = compare(
            check("f", .digest("ab"), kind: .fingerprint, rule: .noDecrease),
            check("f", .digest("ab"), kind: .fingerprint, rule: .noDecrease))
        #expect(misconfigured.result == .fail)
        #expect(misconfigured.reason?.contains("needs numbers") == true)
    }

    @Test("a check on one side only fails; a vanished collection fails")
    func oneSided() {
        #expect(compare(check("old", .int64(1)), nil).result == .fail)
        #expect(compare(nil, check("new", .int64(1))).result == .fail)
        let vanished = compare(check("orders", .int64(1000)), check("orders", nil, missing: true))
        #expect(vanished.result == .fail && vanished.reason == "collection orders vanished")
        #expect(compare(check("orders", nil, missing: true), check("orders", .int64(0))).result == .fail)
        // Missing on both sides guards nothing: it passes only with allowMissing (CheckGuardTests).
        #expect(compare(check("orders", nil, missing: true), check("orders", nil, missing: true)).result == .fail)
        #expect(compare(check("m", nil, kind: .min), check("m", nil, kind: .min)).result == .pass)
        #expect(compare(check("m", .int64(1), kind: .min), check("m", nil, kind: .min)).result == .fail)
    }

    @Test("the rule and severity come from the post side")
    func postRules() {
        let result = compare(check("c", .int64(10)), check("c", .int64(12), rule: .noDecrease))
        #expect(result.result == .pass && result.rule == .noDecrease)
    }

    @Test("checks keep the baseline's order, new ones last; the table and summary read well")
    func verdict() {
        let pre = snapshot([check("orders", .int64(1000)), check("registrations", .int64(50))])
        let post = snapshot([check("registrations", .int64(50)), check("orders", .int64(997)), check("extra", .int64(1))])
        let verdict = Verdict.make(
            preSnapshot: pre, postSnapshot: post, runID: "r2", app: "pxbbq", namespace: "pxbbq",
            preKey: "p", postKey: "q", reportOnly: false, createdAt: "now")
        #expect(verdict.checks.map(\.name) == ["orders", "registrations", "extra"])
        #expect(verdict.result == .fail)
        #expect(verdict.failedChecks.count == 2)
        #expect(verdict.summary.hasPrefix("taster: FAIL pxbbq run r2: 2 of 3 checks failed: orders 1000 → 997 (equal); extra — → 1 (equal)"))
        let lines = verdict.table.split(separator: "\n")
        #expect(lines[0].hasPrefix("CHECK"))
        #expect(lines[1].hasPrefix("orders") && lines[1].contains("1000") && lines[1].contains("997") && lines[1].contains("-3"))
        #expect(lines[1].contains("FAIL: 3 fewer, rule equal"))
    }
}

@Suite("Reports")
struct ReportCodecTests {
    func report() -> TasteReport {
        let settings = Settings.loaded(["MONGODB_URI": "mongodb://u:codecQ7kx9w1@db/", "TASTER_BUCKET": "b-1"])
        let snapshot = Snapshot(
            database: "pxbbq", serverVersion: "8.2.11", takenAt: "2026-11-21T10:00:00.000Z", clock: "server",
            durationSeconds: 0.2,
            checks: [
                CheckResult(
                    name: "orders", kind: .count, database: "pxbbq", collection: "orders",
                    value: .int64(9_007_199_254_740_993), durationSeconds: 0.1),
                CheckResult(
                    name: "revenue", kind: .sum, database: "pxbbq", collection: "orders",
                    value: .decimal("1234.50"), documents: 3, durationSeconds: 0.1,
                    rule: .tolerance(.percent(2)), severity: .warn, parameters: ["field": "total"]),
            ])
        return TasteReport(
            phase: .pre, runID: "r1", app: "pxbbq", namespace: "pxbbq", host: "pod-1",
            startedAt: "2026-11-21T09:59:00.000Z", finishedAt: "2026-11-21T10:00:01.000Z",
            settings: SettingsSummary(settings: settings, prefix: "taster/pxbbq/pxbbq"),
            workloads: [.init(kind: .statefulset, name: "mongo", replicasBefore: 0, target: 1, secondsToReady: 2.5)],
            snapshot: snapshot)
    }

    @Test("a report round-trips exactly, int64 as a string, no secret inside")
    func roundTrip() throws {
        let data = try ReportCodec.encode(report())
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"int64\" : \"9007199254740993\""))
        #expect(text.contains("\"rule\" : \"tolerance 2%\""))
        #expect(text.contains("\"schemaVersion\" : 3"))
        #expect(text.contains("\"runId\" : \"r1\""))
        #expect(!text.contains("codecQ7kx9w1"))
        let decoded = try ReportCodec.decode(TasteReport.self, from: data, supported: TasteReport.readableSchemaVersions, source: "pre.json")
        #expect(decoded == report())
    }

    @Test(
        "unreadable reports are refused with exit 4 and say why",
        arguments: [
            ("{\"schemaVersion\": 1, \"phase\": \"pre\"", "not valid JSON"),
            ("not json at all", "not valid JSON"),
            ("{\"phase\": \"pre\"}", "has no schemaVersion"),
            ("{\"schemaVersion\": 4}", "has schemaVersion 4"),
            ("{\"schemaVersion\": 1, \"phase\": \"pre\"}", "missing field"),
        ])
    func refused(json: String, expected: String) {
        do {
            _ = try ReportCodec.decode(
                TasteReport.self, from: Data(json.utf8), supported: TasteReport.readableSchemaVersions, source: "s3://b/pre.json")
            Issue.record("expected a decoding error")
        } catch {
            #expect(error.exitCode == .noBaseline)
            #expect(error.description.hasPrefix("s3://b/pre.json"))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test("rules parse from the checks-file spelling and reject nonsense")
    func ruleParsing() throws {
        #expect(try ComparisonRule(rule: "tolerance", tolerance: "2%") == .tolerance(.percent(2)))
        #expect(try ComparisonRule(rule: "tolerance", tolerance: "0.5") == .tolerance(.absolute(Decimal(string: "0.5")!)))
        #expect(try ComparisonRule(rule: "no-decrease", tolerance: nil) == .noDecrease)
        #expect(throws: RuleParseError.self) { try ComparisonRule(rule: "tolerance", tolerance: nil) }
        #expect(throws: RuleParseError.self) { try ComparisonRule(rule: "tolerance", tolerance: "-1") }
        #expect(throws: RuleParseError.self) { try ComparisonRule(rule: "tolerance", tolerance: "lots") }
        #expect(throws: RuleParseError.self) { try ComparisonRule(rule: "equal", tolerance: "5") }
        #expect(throws: RuleParseError.self) { try ComparisonRule(rule: "same", tolerance: nil) }
    }
}
