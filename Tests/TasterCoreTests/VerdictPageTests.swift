import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Verdict page")
struct VerdictPageTests {
    func verdict(pre: Int64, post: Int64, collection: String = "orders", runID: String = "r1") -> Verdict {
        func snapshot(_ value: Int64) -> Snapshot {
            Snapshot(
                database: "pxbbq", serverVersion: "8.2", takenAt: "2026-11-21T10:00:00.000Z", clock: "server", durationSeconds: 0.1,
                checks: [
                    CheckResult(name: collection, kind: .count, database: "pxbbq", collection: collection, value: .int64(value), durationSeconds: 0.1),
                    CheckResult(
                        name: "fp", kind: .fingerprint, database: "pxbbq", collection: collection, value: .digest("abcdef0123456789"), durationSeconds: 0.1),
                ])
        }
        return Verdict.make(
            preSnapshot: snapshot(pre), postSnapshot: snapshot(post), runID: runID, app: "pxbbq", namespace: "pxbbq",
            preKey: "taster/pxbbq/pxbbq/runs/\(runID)/pre.json", postKey: "taster/pxbbq/pxbbq/runs/\(runID)/post.json",
            reportOnly: false, createdAt: "2026-11-21T10:05:00.000Z")
    }

    /// Parses the page as XML; returns the error, if any.
    func parseError(_ html: String) -> String? {
        let parser = XMLParser(data: Data(html.utf8))
        return parser.parse() ? nil : (parser.parserError.map { "\($0)" } ?? "unknown parse error")
    }

    @Test("a pass: result, summary, table with severity; well-formed; nothing from the network, no scripts")
    func pass() {
        let html = VerdictPage(verdict: verdict(pre: 1000, post: 1000)).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("<span class=\"result pass\" id=\"result\">PASS</span>"))
        #expect(html.contains("id=\"comparison\""))
        #expect(html.contains("<td class=\"severity\">fail</td>"))
        #expect(!html.contains("<svg class=\"change\""), "no bar for no change")
        #expect(html.contains("no history yet"))
        #expect(!html.contains("<a "), "no links without a link base")
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count == 2) // only the XHTML namespace
        #expect(!html.contains("https://"))
    }

    @Test("a fail shows the failing row and the reason")
    func fail() {
        let html = VerdictPage(verdict: verdict(pre: 1000, post: 997)).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("result fail"))
        #expect(html.contains("<tr data-check=\"orders\" class=\"row-fail\">"))
        #expect(html.contains("<span class=\"badge fail\">FAIL</span><span class=\"reason\">3 fewer, rule equal</span>"))
        #expect(html.contains("<div class=\"delta\">-3</div>"))
        #expect(html.contains("<svg class=\"change\""))
        #expect(html.contains("<span>-0.30 %</span>"), "the change next to the baseline, not two bars a pixel apart")
        #expect(html.contains("#c62828"))
    }

    @Test("a history of 25 runs draws every point and stays well-formed")
    func history() {
        let entries = (0..<25).map { (index: Int) -> VerdictHistory.Entry in
            let failed = index % 7 == 0
            let mark = VerdictHistory.Mark(value: .int64(Int64(1000 + index)), result: failed ? .fail : .pass)
            return VerdictHistory.Entry(
                runID: "r\(index)", createdAt: "2026-11-\(String(format: "%02d", index % 28 + 1))T10:00:00Z",
                result: failed ? .fail : .pass, checks: ["orders": mark])
        }
        let html = VerdictPage(verdict: verdict(pre: 1024, post: 1025), history: VerdictHistory(entries: entries, skipped: ["r99 (not JSON)"])).render()
        #expect(parseError(html) == nil)
        #expect(html.components(separatedBy: "<circle class=\"mark").count - 1 == 26)
        #expect(html.components(separatedBy: "<circle class=\"mark fail\"").count - 1 == 4 + 1, "r0, r7, r14, r21 and this run")
        #expect(html.contains("History skips 1 run that could not be read: r99 (not JSON)"))
        #expect(html.contains("25 earlier runs"))
        #expect(html.contains("first run of this check"), "the fingerprint is in none of the earlier runs")
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

    @Test("a fingerprint's history is a strip with a mark per run, each run's own result; not \"no history yet\"")
    func fingerprintHistory() {
        let entries = (0..<3).map { index in
            VerdictHistory.Entry(
                runID: "r\(index)", createdAt: "2026-11-2\(index)T10:00:00Z", result: .fail,
                checks: [
                    "fp": .init(value: .digest("\(index)bcdef0123456789"), result: index == 0 ? .pass : .fail),
                    "orders": .init(value: nil, result: .fail),
                ])
        }
        let html = VerdictPage(verdict: verdict(pre: 5, post: 5), history: VerdictHistory(entries: entries)).render()
        #expect(parseError(html) == nil)
        #expect(!html.contains("no history yet"))
        #expect(html.contains("<svg class=\"history strip\""))
        #expect(html.components(separatedBy: "<rect class=\"mark pass\"").count - 1 == 3, "r0's fingerprint, this run's, this run's orders")
        #expect(html.components(separatedBy: "<rect class=\"mark fail\"").count - 1 == 2 + 3, "r1, r2; orders had no value in any run")
        #expect(html.contains("run r1 · 2026-11-21T10:00:00Z: 1bcdef012345 (fail)"))
        #expect(html.contains("<code title=\"abcdef0123456789\">abcdef<wbr/>012345</code>"))
    }

    @Test("a number history with a run that had no value keeps its line and marks that run at the bottom")
    func historyWithAGap() {
        let values: [CheckValue?] = [.int64(990), nil, .int64(1000)]
        let entries = values.enumerated().map { index, value in
            VerdictHistory.Entry(
                runID: "r\(index)", createdAt: "2026-11-2\(index)T10:00:00Z", result: .pass,
                checks: ["orders": .init(value: value, result: value == nil ? .fail : .pass)])
        }
        let html = VerdictPage(verdict: verdict(pre: 1000, post: 1000), history: VerdictHistory(entries: entries)).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("<svg class=\"history line\""))
        #expect(html.components(separatedBy: "<circle class=\"mark").count - 1 == 4)
        #expect(html.contains("fill=\"#fff\" stroke=\"#c62828\""), "r1, hollow")
        #expect(html.contains("run r1 · 2026-11-21T10:00:00Z: no value (fail)"))
    }

    @Test("with a link base, the reports and the earlier runs are links relative to the page")
    func links() throws {
        let entries = [
            VerdictHistory.Entry(
                runID: "r0", createdAt: "2026-11-20T10:00:00Z", result: .pass, checks: ["orders": .init(value: .int64(1), result: .pass)],
                verdictKey: "taster/pxbbq/pxbbq/runs/r0/verdict.json", pageKey: "taster/pxbbq/pxbbq/runs/r0/verdict.html"),
            VerdictHistory.Entry(
                runID: "r 1", createdAt: "2026-11-21T10:00:00Z", result: .fail, checks: ["orders": .init(value: .int64(2), result: .fail)],
                verdictKey: "taster/pxbbq/pxbbq/runs/r 1/verdict.json", pageKey: nil),
        ]
        let page = VerdictPage(
            verdict: verdict(pre: 1, post: 2, runID: "r2"), history: VerdictHistory(entries: entries),
            preURI: "s3://b/taster/pxbbq/pxbbq/runs/r2/pre.json", postURI: "s3://b/taster/pxbbq/pxbbq/runs/r2/post.json",
            verdictKey: "taster/pxbbq/pxbbq/runs/r2/verdict.json",
            links: ReportLinks(pageKey: "taster/pxbbq/pxbbq/runs/r2/verdict.html"))
        let html = page.render()
        #expect(parseError(html) == nil)
        #expect(html.contains("<a href=\"pre.json\">pre.json</a> · <a href=\"post.json\">post.json</a> · <a href=\"verdict.json\">verdict.json</a>"))
        #expect(html.contains("verdict.json</a> — in <code>s3://b/taster/pxbbq/pxbbq/runs/r2/</code>"), "where they are, to copy")
        #expect(html.contains("<li><a href=\"../r0/verdict.html\">"))
        #expect(html.contains("<li><a href=\"../r%201/verdict.json\">"), "a run whose page was not stored links to its verdict.json")
        #expect(html.contains("<a href=\"../r0/verdict.html\"><circle class=\"mark pass\""), "the history points link to their runs")
        let absolute = VerdictPage(
            verdict: page.verdict, verdictKey: page.verdictKey,
            links: ReportLinks(base: .absolute("https://reports.example.com/s3"), pageKey: "ignored")
        ).render()
        #expect(absolute.contains("<a href=\"https://reports.example.com/s3/taster/pxbbq/pxbbq/runs/r2/pre.json\">pre.json</a>"))
    }

    @Test("long names and values are shown whole, and the table is laid out to the page's width")
    func longValues() {
        let name = String(repeating: "PaidOrdersTotal", count: 8)
        let value = "12345678901234567890123456.78901234"
        let snapshot = { (sum: String) in
            Snapshot(
                database: "pxbbq", serverVersion: "8.2", takenAt: "2026-11-21T10:00:00.000Z", clock: "server", durationSeconds: 0.1,
                checks: [CheckResult(name: name, kind: .sum, database: "pxbbq", collection: "orders", value: .decimal(sum), durationSeconds: 0.1)])
        }
        let verdict = Verdict.make(
            preSnapshot: snapshot(value), postSnapshot: snapshot(value), runID: "r", app: "pxbbq", namespace: nil,
            preKey: nil, postKey: nil, reportOnly: false, createdAt: "2026-11-21T10:05:00.000Z")
        let html = VerdictPage(verdict: verdict).render()
        #expect(parseError(html) == nil)
        #expect(html.contains("<div class=\"name\">\(name)</div>"))
        #expect(html.contains("<td class=\"num post\">\(value)</td>"))
        #expect(html.contains("table-layout: fixed") && html.contains("overflow-wrap: anywhere"))
    }
}
