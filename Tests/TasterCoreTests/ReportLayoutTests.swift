import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterNotify
@testable import TasterSettings
@testable import TasterSupport

/// The report layout in the bucket, and the latest-pre.json pointer.
@Suite("Report layout")
struct ReportLayoutTests {
    @Test("<prefix>/runs/<run-id>/{pre,post,verdict}.json and <prefix>/latest-pre.json")
    func layout() {
        let layout = ReportLayout(prefix: "taster/pxbbq/pxbbq")
        #expect(layout.key(.pre, run: "20261121T100000Z") == "taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json")
        #expect(layout.key(.post, run: "20261121T100000Z") == "taster/pxbbq/pxbbq/runs/20261121T100000Z/post.json")
        #expect(layout.key(.verdict, run: "20261121T100000Z") == "taster/pxbbq/pxbbq/runs/20261121T100000Z/verdict.json")
        #expect(layout.key(.verdictHTML, run: "r") == "taster/pxbbq/pxbbq/runs/r/verdict.html")
        #expect(layout.latestPreKey == "taster/pxbbq/pxbbq/latest-pre.json")
        #expect(layout.runFolder("r") == "taster/pxbbq/pxbbq/runs/r/")
        #expect(layout.runsPrefix == "taster/pxbbq/pxbbq/runs/")
        #expect(layout.runID(of: "taster/pxbbq/pxbbq/runs/r7/verdict.json") == "r7")
        #expect(layout.runID(of: "taster/pxbbq/pxbbq/latest-pre.json") == nil)
    }

    @Test("the prefix is TASTER_PREFIX (slashes trimmed), else taster/<namespace>/<app>, the app defaulting to the namespace")
    func defaultPrefix() throws {
        #expect(ReportLayout(configured: nil, namespace: "staging", app: "shop").prefix == "taster/staging/shop")
        let settings = try Settings.load(from: Environment(["TASTER_PREFIX": "/reports/shop/"]))
        #expect(ReportLayout(configured: settings.s3.prefix, namespace: "staging", app: "shop").key(.pre, run: "r") == "reports/shop/runs/r/pre.json")
    }

    @Test("the pointer: versioned JSON read back; anything else is no usable baseline (exit 4)")
    func pointer() throws {
        let layout = ReportLayout(prefix: "taster/pxbbq/pxbbq")
        let pointer = BaselinePointer(
            runID: "20261121T100000Z", key: layout.key(.pre, run: "20261121T100000Z"),
            takenAt: "2026-11-21T10:00:02.000Z", finishedAt: "2026-11-21T10:00:03.120Z")
        let data = try ReportCodec.encode(pointer)
        #expect(String(decoding: data, as: UTF8.self).contains(#""runId" : "20261121T100000Z""#))
        let source = "s3://taster-reports/\(layout.latestPreKey)"
        #expect(try ReportCodec.decode(BaselinePointer.self, from: data, supported: 1, source: source) == pointer)
        for bad in [
            "", "[]", #"{"runId":"r"}"#, #"{"schemaVersion":1,"runId":"r"}"#, #"{"schemaVersion":9,"runId":"r","key":"k","takenAt":"t","finishedAt":"t"}"#,
        ] {
            let error = try #require(throws: ReportDecodingError.self) {
                try ReportCodec.decode(BaselinePointer.self, from: Data(bad.utf8), supported: 1, source: source)
            }
            #expect(error.exitCode == .noBaseline)
            #expect(error.description.hasPrefix(source))
        }
    }
}
