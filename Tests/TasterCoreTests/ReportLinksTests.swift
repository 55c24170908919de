import Testing

@testable import TasterCore

/// How the verdict page turns report keys into links.
@Suite("Report links")
struct ReportLinksTests {
    @Test("relative paths from the page's folder, percent-encoded; nothing a browser would resolve elsewhere")
    func relative() {
        let links = ReportLinks(pageKey: "taster/ns/app/runs/r2/verdict.html")
        #expect(links.href(for: "taster/ns/app/runs/r2/pre.json") == "pre.json")
        #expect(links.href(for: "taster/ns/app/runs/r1/verdict.html") == "../r1/verdict.html")
        #expect(links.href(for: "taster/ns/app/latest-pre.json") == "../../latest-pre.json")
        #expect(links.href(for: "other/x.json") == "../../../../../other/x.json")
        #expect(links.href(for: "taster/ns/app/runs/a:b ?#%é/pre.json") == "../a%3Ab%20%3F%23%25%C3%A9/pre.json")
        #expect(links.href(for: "taster/ns/app/runs/r2//pre.json") == ".//pre.json", "an empty segment is not an absolute path")
        #expect(links.href(for: "taster/ns/app/runs/../pre.json") == nil)
        #expect(links.href(for: "taster/ns/app/runs/r2/") == nil)
        #expect(ReportLinks(pageKey: "a/./p.html").href(for: "a/x.json") == nil)
        #expect(ReportLinks(pageKey: "p.html").href(for: "a/x.json") == "a/x.json")
    }

    @Test("under an absolute base: base + key, percent-encoded; only http(s)")
    func absolute() {
        #expect(ReportLinks(base: .absolute("https://h/base/"), pageKey: "p").href(for: "a b/x.json") == "https://h/base/a%20b/x.json")
        #expect(ReportLinks(base: .absolute("HTTP://h"), pageKey: "p").href(for: "x.json") == "HTTP://h/x.json")
        #expect(ReportLinks(base: .absolute("javascript:alert(1)//"), pageKey: "p").href(for: "x.json") == nil)
        #expect(ReportLinks(base: .absolute("s3://bucket"), pageKey: "p").href(for: "x.json") == nil)
    }
}
