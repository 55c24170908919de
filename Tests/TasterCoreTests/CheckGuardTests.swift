import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo
@testable import TasterSupport

/// Checks that guard nothing: the pure logic around a collection that does not exist
/// (`allowMissing`), a measured field no document holds, and a check that measures something else
/// after the sync than in the baseline.
@Suite("Checks that guard nothing")
struct CheckGuardTests {
    func check(
        _ name: String, _ value: CheckValue?, kind: CheckKind = .count, collection: String? = nil, missing: Bool = false,
        allowMissing: Bool = false, absentFields: [String] = [], parameters: [String: String] = [:]
    ) -> CheckResult {
        CheckResult(
            name: name, kind: kind, database: "pxbbq", collection: collection ?? name, value: value, documents: nil,
            durationSeconds: 0.01, missing: missing, allowMissing: allowMissing, absentFields: absentFields,
            parameters: parameters)
    }

    @Test("a collection missing on both sides passes only when the check allows it; vanishing always fails")
    func missingOnBothSides() {
        let strict = Comparator.compare(pre: check("o", nil, missing: true), post: check("o", nil, missing: true))
        #expect(strict.result == .fail)
        #expect(strict.reason?.contains("does not exist on either side") == true && strict.reason?.contains("allowMissing: true") == true)
        let allowed = Comparator.compare(
            pre: check("o", nil, missing: true, allowMissing: true),
            post: check("o", nil, missing: true, allowMissing: true))
        #expect(allowed.result == .pass)
        let vanished = Comparator.compare(pre: check("o", .int64(3), allowMissing: true), post: check("o", nil, missing: true, allowMissing: true))
        #expect(vanished.result == .fail && vanished.reason == "collection o vanished")
    }

    @Test("a check that measures another kind, collection or parameters than in the baseline fails")
    func changedMeasurement() {
        let kind = Comparator.compare(pre: check("c", .int64(3)), post: check("c", .int64(3), kind: .estimatedCount))
        #expect(kind.result == .fail && kind.reason?.contains("now measures estimated-count of pxbbq.c (count of pxbbq.c in the baseline)") == true)
        let place = Comparator.compare(pre: check("c", .int64(3)), post: check("c", .int64(3), collection: "other"))
        #expect(place.result == .fail)
        let filter = Comparator.compare(
            pre: check("c", .int64(3), parameters: ["filter": "{ \"a\" : 1 }"]),
            post: check("c", .int64(3), parameters: ["filter": "{ \"a\" : 2 }"]))
        #expect(filter.result == .fail && filter.reason?.contains("another filter than in the baseline") == true)
        // The cut's time differs only in its text (the baseline cut at its own time, post-taste at
        // the baseline's): the same measurement.
        let cut = Comparator.compare(
            pre: check("c", .int64(3), parameters: ["asOf": "_id <= 2026-11-21T10:00:00.000Z"]),
            post: check("c", .int64(3), parameters: ["asOf": "_id <= 2026-11-21T10:00:00.001Z"]))
        #expect(cut.result == .pass)
        let cutField = Comparator.compare(
            pre: check("c", .int64(3), parameters: ["asOf": "_id <= 2026-11-21T10:00:00.000Z"]),
            post: check("c", .int64(3), parameters: ["asOf": "createdAt <= 2026-11-21T10:00:00.000Z"]))
        #expect(cutField.result == .fail)
    }

    @Test("a field no document holds: the comparison keeps its result and carries a warning, the summary says so")
    func absentField() {
        let both = Comparator.compare(
            pre: check("revenue", .int64(0), kind: .sum, absentFields: ["totl"]),
            post: check("revenue", .int64(0), kind: .sum, absentFields: ["totl"]))
        #expect(both.result == .pass)
        #expect(both.warning?.hasPrefix("field totl is absent from every document of pxbbq.revenue") == true)
        #expect(both.warning?.hasSuffix("(in the baseline and after the sync)") == true)
        let after = Comparator.compare(
            pre: check("revenue", .int64(10), kind: .sum),
            post: check("revenue", .int64(0), kind: .sum, absentFields: ["total"]))
        #expect(after.result == .fail && after.warning?.hasSuffix("(after the sync)") == true)
        #expect(Comparator.compare(pre: check("c", .int64(1)), post: check("c", .int64(1))).warning == nil)

        let pre = Snapshot(
            database: "pxbbq", serverVersion: nil, takenAt: "2026-11-21T10:00:00.000Z", clock: "server", durationSeconds: 0,
            checks: [check("revenue", .int64(0), kind: .sum, absentFields: ["totl"]), check("orders", .int64(5))])
        let verdict = Verdict.make(
            preSnapshot: pre, postSnapshot: pre, runID: "r", app: "shop", namespace: nil, preKey: nil, postKey: nil,
            reportOnly: false, createdAt: "now", notes: ["rules from checks file x.yaml"])
        #expect(verdict.result == .pass)
        #expect(verdict.summary == "taster: PASS shop run r: 2 checks passed; WARNING: 1 check guards nothing (revenue: no document has the field)")
        #expect(verdict.table.contains("\nWARNING: check \"revenue\": field totl is absent"))
        #expect(verdict.table.hasSuffix("\nNOTE: rules from checks file x.yaml"))
        #expect(pre.table.contains("\nWARNING: check \"revenue\": field totl"))
        #expect(VerdictPage(verdict: verdict).render().contains("<ul id=\"warnings\"><li>Warning: check &quot;revenue&quot;: field totl"))
    }

    @Test("allowMissing and absentFields are written only when they say something, and older reports still read")
    func reportShape() throws {
        let plain = String(decoding: try ReportCodec.encode(check("c", .int64(1))), as: UTF8.self)
        #expect(!plain.contains("allowMissing") && !plain.contains("absentFields"))
        let flagged = check("c", nil, missing: true, allowMissing: true, absentFields: ["a"])
        let data = try ReportCodec.encode(flagged)
        #expect(String(decoding: data, as: UTF8.self).contains("\"allowMissing\" : true"))
        #expect(try JSONDecoder().decode(CheckResult.self, from: data) == flagged)
        let older =
            #"{"collection":"c","database":"pxbbq","durationSeconds":0.1,"kind":"count","missing":false,"name":"c","parameters":{},"rule":"equal","severity":"fail","value":{"int64":"1"}}"#
        let decoded = try JSONDecoder().decode(CheckResult.self, from: Data(older.utf8))
        #expect(decoded.allowMissing == false && decoded.absentFields.isEmpty && decoded.value == .int64(1))
    }

    @Test("a misspelled collection's error suggests the collections within two edits")
    func similarNames() {
        let names: Set<String> = ["orders", "registrations", "order-items", "audit"]
        #expect(MissingCollectionError.similar(to: "ordres", among: names) == ["orders"])
        #expect(MissingCollectionError.similar(to: "Orders", among: names) == ["orders"])
        #expect(MissingCollectionError.similar(to: "registratons", among: names) == ["registrations"])
        #expect(MissingCollectionError.similar(to: "payments", among: names) == [])
    }
}
