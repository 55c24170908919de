import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import TasterCore

@Suite("Verdict page")
struct VerdictPageTests {
    func verdict(pre: Int64, post: Int64, collection: String = "orders", runID: String = "r1") -> Verdict {
        func snapshot(_ value: Int64) -> Snapshot {
            Snapshot(database: "pxbbq", serverVersion: "8.2", takenAt: "2026-11-21T10:00:00.000Z", clock: "server", durationSeconds: 0.1,
                     checks: [
                        CheckResult(name: collection, kind: .count, database: "pxbbq", collection: collection, value: .int64(value), durationSeconds: 0.1),
                        CheckResult(name: "fp", kind: .fingerprint, database: "pxbbq", collection: collection, value: .digest("abcdef0123456789"), durationSeconds: 0.1),
                     ])
        }
        return Verdict.make(preSnapshot: snapshot(pre), postSnapshot: snapshot(post), runID: runID, app: "pxbbq", namespace: "pxbbq",
                            preKey: "taster/pxbbq/pxbbq/runs/\(runID)/pre.json", postKey: "taster/pxbbq/pxbbq/runs/\(runID)/post.json",
                            reportOnly: false, createdAt: "2026-11-21T10:05:00.000Z")
    }

    /// Parses the page as XML; returns the error, if any.
    func parseError(_ html: String) -> String? {
        let parser = XMLParser(data: Data(html.utf8))
        return parser.parse() ? nil : (parser.parserError.map { "\($0)" } ?? "unknown parse error")
    }

    @Test("a pass: result, summary, table, bars; well-formed; nothing from the network, no scripts")
    func pass() {
        let html = VerdictPage(verdict: verdict(pre: 1000, post: 1000)).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("<span class=\"result pass\" id=\"result\">PASS</span>"))
        #expect(html.contains("id=\"comparison\""))
        #expect(html.contains("<svg class=\"bars\""))
        #expect(html.contains("no history yet"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2) // only the XHTML namespace
        #expect(!html.contains("https://"))
    }

    @Test("a fail shows the failing row and the reason")
    func fail() {
        let html = VerdictPage(verdict: verdict(pre: 1000, post: 997)).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("result fail"))
        #expect(html.contains("<tr class=\"row-fail\">"))
        #expect(html.contains("FAIL: 3 fewer, rule equal"))
        #expect(html.contains("#c62828"))
    }

    @Test("a history of 25 runs draws every point and stays well-formed")
    func history() {
        let entries = (0..<25).map { index in
            VerdictHistory.Entry(runID: "r\(index)", createdAt: "2026-11-\(String(format: "%02d", index % 28 + 1))T10:00:00Z",
                                 result: index % 7 == 0 ? .fail : .pass, values: ["orders": Decimal(1000 + index)])
        }
        let html = VerdictPage(verdict: verdict(pre: 1024, post: 1025), history: VerdictHistory(entries: entries, skipped: ["r99 (not JSON)"])).render()
        #expect(parseError(html) == nil)
        #expect(html.components(separatedBy: "<circle").count - 1 == 26)
        #expect(html.contains("History skips 1 run that could not be read: r99 (not JSON)"))
        #expect(html.contains("25 earlier runs"))
    }

    @Test("every value from data or settings is escaped")
    func escaping() {
        let hostile = "<script>alert('x')</script>&\"quoted\""
        let html = VerdictPage(verdict: verdict(pre: 1, post: 2, collection: hostile, runID: "r<1>")).render()
        #expect(parseError(html) == nil)
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;quoted&quot;"))
        #expect(html.contains("r&lt;1&gt;"))
    }
}
