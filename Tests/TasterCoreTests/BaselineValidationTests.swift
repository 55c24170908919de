import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterNotify
@testable import TasterSettings
@testable import TasterSupport

/// What a report must hold before a verdict, a comparison or a restore is built on it.
@Suite("Baseline validation")
struct BaselineValidationTests {
    let now = Timestamp.parse("2026-11-21T10:05:00.000Z")!

    func report(
        takenAt: String = "2026-11-21T10:00:00.000Z", finishedAt: String = "2026-11-21T10:00:01.000Z",
        checks: [CheckResult]? = nil, workloads: [TasteReport.WorkloadRecord]? = nil
    ) -> TasteReport {
        let settings = Settings.loaded(["MONGODB_URI": "mongodb://db/", "TASTER_BUCKET": "b-1"])
        let snapshot = Snapshot(
            database: "pxbbq", serverVersion: "8.2.11", takenAt: takenAt, clock: "server", durationSeconds: 0.2,
            checks: checks ?? [
                CheckResult(name: "orders", kind: .count, database: "pxbbq", collection: "orders", value: .int64(5), durationSeconds: 0.1),
                CheckResult(
                    name: "revenue", kind: .sum, database: "pxbbq", collection: "orders", value: .decimal("12.50"),
                    documents: 5, durationSeconds: 0.1),
                CheckResult(
                    name: "first", kind: .min, database: "pxbbq", collection: "orders", value: nil, documents: 0,
                    durationSeconds: 0.1),
                CheckResult(
                    name: "content", kind: .fingerprint, database: "pxbbq", collection: "orders",
                    value: .digest(String(repeating: "ab", count: 32)), documents: 5, durationSeconds: 0.1),
            ])
        return TasteReport(
            phase: .pre, runID: "r1", app: "pxbbq", namespace: "pxbbq", host: "pod", startedAt: "2026-11-21T09:59:59.000Z",
            finishedAt: finishedAt, settings: SettingsSummary(settings: settings, prefix: "p"),
            workloads: workloads ?? [.init(kind: .statefulset, name: "mongo", replicasBefore: 0, target: 1, secondsToReady: 1)],
            snapshot: snapshot)
    }

    func check(_ kind: CheckKind, _ value: CheckValue?, missing: Bool = false) -> CheckResult {
        CheckResult(name: "c", kind: kind, database: "pxbbq", collection: "orders", value: value, durationSeconds: 0, missing: missing)
    }

    @Test("a sound baseline has no problems for any use")
    func sound() {
        for use in [TasteReport.Use.verdict, .comparison, .restore] {
            #expect(report().problems(for: use, now: now).isEmpty)
        }
    }

    @Test(
        "snapshot and finish times must parse and not lie ahead of the clock by more than the skew allowed",
        arguments: [
            ("garbage", "2026-11-21T10:00:01.000Z", "snapshot.takenAt \"garbage\" is not an RFC 3339 time"),
            ("2026-11-21T10:20:00.000Z", "2026-11-21T10:00:01.000Z", "snapshot.takenAt 2026-11-21T10:20:00.000Z lies in the future"),
            ("2026-11-21T10:00:00.000Z", "", "finishedAt \"\" is not an RFC 3339 time"),
            ("2026-11-21T10:00:00.000Z", "2027-01-01T00:00:00Z", "finishedAt 2027-01-01T00:00:00Z lies in the future"),
        ])
    func times(takenAt: String, finishedAt: String, expected: String) {
        let problems = report(takenAt: takenAt, finishedAt: finishedAt).problems(for: .verdict, now: now)
        #expect(problems.contains { $0.hasPrefix(expected) }, "\(problems)")
        // A comparison of old files and a restore do not judge the times.
        #expect(report(takenAt: takenAt, finishedAt: finishedAt).problems(for: .restore, now: now).isEmpty)
        #expect(report(takenAt: takenAt, finishedAt: finishedAt).problems(for: .comparison, now: now).isEmpty)
    }

    @Test("a server clock a little ahead of this machine's is allowed")
    func skew() {
        #expect(report(takenAt: "2026-11-21T10:09:00.000Z").problems(for: .verdict, now: now).isEmpty)
    }

    @Test(
        "each kind's value must have the kind's type",
        arguments: [
            (CheckKind.count, CheckValue?.none, false, "is absent, but a count always has one"),
            (.count, .text("5"), false, "is not a 64-bit integer"),
            (.distinctCount, .int64(-1), false, "is negative"),
            (.estimatedCount, .double(5), false, "is not a 64-bit integer"),
            (.sum, .digest("ab"), false, "is not a number"),
            (.sum, .decimal("12,5"), false, "\"12,5\" is not a decimal number"),
            (.aggregate, .text("x"), false, "is not a number"),
            (.fingerprint, .digest("ABC"), false, "is not 64 lowercase hex digits"),
            (.fingerprint, .int64(1), false, "is not a digest"),
            (.count, .int64(1), true, "is set although the collection is recorded as missing"),
        ])
    func values(kind: CheckKind, value: CheckValue?, missing: Bool, expected: String) {
        let problem = TasteReport.valueProblem(of: check(kind, value, missing: missing))
        #expect(problem?.hasPrefix(expected) == true, "\(problem ?? "nil")")
    }

    @Test(
        "values a check can legitimately have pass",
        arguments: [
            (CheckKind.min, CheckValue?.none), (.max, .text("\"z\"")), (.aggregate, nil), (.sum, .double(1.5)),
            (.sum, .decimal("NaN")), (.sum, .decimal("-1.5E+3")), (.count, nil),
        ])
    func legitimate(kind: CheckKind, value: CheckValue?) {
        #expect(TasteReport.valueProblem(of: check(kind, value, missing: kind == .count)) == nil)
    }

    @Test("names once each, valid places, sound workloads")
    func structure() {
        let orders = CheckResult(name: "orders", kind: .count, database: "pxbbq", collection: "orders", value: .int64(1), durationSeconds: 0)
        var twice = orders
        twice.collection = "other"
        var place = orders
        place.name = "place"
        place.collection = "a$b"
        let problems = report(checks: [orders, twice, place]).problems(for: .comparison)
        #expect(
            problems == [
                "snapshot.checks[1] (\"orders\").name is used twice: one of the two would not be compared",
                "snapshot.checks[2] (\"place\").collection \"a$b\" is not a collection name",
            ])
        #expect(report(checks: []).problems(for: .comparison) == ["snapshot.checks is empty: the baseline measured nothing"])
        let workloads = report(workloads: [
            .init(kind: .deployment, name: "web", replicasBefore: -1, target: 1, secondsToReady: nil),
            .init(kind: .deployment, name: "web", replicasBefore: 2, target: 1, secondsToReady: nil),
            .init(kind: .statefulset, name: "Mongo_DB", replicasBefore: 1, target: 1, secondsToReady: nil),
        ]).problems(for: .restore)
        #expect(
            workloads == [
                "workloads[0].replicasBefore -1 is not a replica count",
                "workloads[1] names deployment/web a second time",
                "workloads[2].name \"Mongo_DB\" is not a Kubernetes object name",
            ])
    }
}

/// post-taste cuts at the baseline's time as written in pre.json: parsing it back must give the
/// very millisecond the baseline cut at, or a document written in that millisecond would be
/// counted in one snapshot and not the other.
@Suite("The cut of a parsed baseline time")
struct ParsedCutTests {
    @Test("every millisecond of a second survives the text round trip")
    func milliseconds() throws {
        for millisecond in 0..<1000 {
            let fraction = String(repeating: "0", count: 3 - String(millisecond).count) + String(millisecond)
            let text = "2026-11-21T10:00:07.\(fraction)Z"
            let cut = AsOfCut(time: try #require(Timestamp.parse(text)))
            let expected = 1_795_255_207_000 + Int64(millisecond)
            #expect(cut.filterJSON(for: AsOf(field: "createdAt")).contains("\"\(expected)\""), "\(text)")
            #expect(cut.describe(AsOf(field: "createdAt")) == "createdAt <= \(text)")
        }
    }
}
