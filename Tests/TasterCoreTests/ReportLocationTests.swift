import Foundation
import Testing
@testable import TasterCore

/// The report layout in the bucket, and the latest-pre.json pointer.
@Suite("Report layout")
struct ReportLocationTests {
    @Test("<prefix>/runs/<run-id>/{pre,post,verdict}.json and <prefix>/latest-pre.json")
    func layout() {
        let location = ReportLocation(prefix: "taster/pxbbq/pxbbq", runID: "20261121T100000Z")
        #expect(location.key(.pre) == "taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json")
        #expect(location.key(.post) == "taster/pxbbq/pxbbq/runs/20261121T100000Z/post.json")
        #expect(location.key(.verdict) == "taster/pxbbq/pxbbq/runs/20261121T100000Z/verdict.json")
        #expect(location.latestPreKey == "taster/pxbbq/pxbbq/latest-pre.json")
        #expect(location.runPrefix == "taster/pxbbq/pxbbq/runs/20261121T100000Z/")
        #expect(location.runsPrefix == "taster/pxbbq/pxbbq/runs/")
        #expect(location.uri(.verdict, bucket: "taster-reports").description
            == "s3://taster-reports/taster/pxbbq/pxbbq/runs/20261121T100000Z/verdict.json")
        #expect(ReportLocation(prefix: "/team/x/", runID: "r").key(.pre) == "team/x/runs/r/pre.json")
    }

    @Test("the prefix is TASTER_PREFIX, else taster/<namespace>/<app>, the app defaulting to the namespace")
    func defaultPrefix() {
        var settings = S3Settings(endpoint: nil, accessKeyID: nil, secretAccessKey: nil, sessionToken: nil, region: "us-east-1",
                                  bucket: nil, prefix: nil, caBundle: nil, addressing: .path)
        #expect(ReportLocation(settings: settings, namespace: "pxbbq", app: nil, runID: "r").prefix == "taster/pxbbq/pxbbq")
        #expect(ReportLocation(settings: settings, namespace: "staging", app: "shop", runID: "r").prefix == "taster/staging/shop")
        settings.prefix = "reports/shop"
        #expect(ReportLocation(settings: settings, namespace: "staging", app: "shop", runID: "r").key(.pre) == "reports/shop/runs/r/pre.json")
    }

    @Test("the pointer: run id, time and key as compact JSON, read back; anything else is no usable baseline (exit 4)")
    func pointer() throws {
        let location = ReportLocation(prefix: "taster/pxbbq/pxbbq", runID: "20261121T100000Z")
        let pointer = LatestPrePointer(location: location, time: "2026-11-21T10:00:03.120Z")
        let json = String(decoding: try pointer.encoded(), as: UTF8.self)
        #expect(json == #"{"key":"taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json","runId":"20261121T100000Z","time":"2026-11-21T10:00:03.120Z"}"#)
        let uri = S3URI(bucket: "taster-reports", key: location.latestPreKey)
        #expect(try LatestPrePointer.decode(Data(json.utf8), from: uri) == pointer)
        for bad in ["", "[]", #"{"runId":"r"}"#, #"{"runId":"","time":"t","key":"k"}"#] {
            let error = try #require(throws: LatestPrePointerError.self) { try LatestPrePointer.decode(Data(bad.utf8), from: uri) }
            #expect(error.exitCode == .noBaseline)
            #expect(error.description.contains("s3://taster-reports/taster/pxbbq/pxbbq/latest-pre.json"))
        }
    }
}
