import Testing

@testable import TasterCore

/// The link to the verdict page in the summary, the termination message and the Event: always
/// whole, the summary cut instead when there is no room.
@Suite("Links in summaries")
struct AnnouncementLinkTests {
    let link = "https://s3.example.com/b/taster/runs/r1/verdict.html?X-Amz-Signature=" + String(repeating: "a", count: 64)

    @Test("the summary, then the link; none without one")
    func appended() {
        #expect(Announcement.linked("taster: FAIL x", reportURIs: ["link": link]) == "taster: FAIL x — verdict page: " + link)
        #expect(Announcement.linked("taster: FAIL x", reportURIs: ["page": "s3://b/k"]) == "taster: FAIL x")
    }

    @Test("a summary too long for the limit is cut, never the link")
    func cut() {
        let summary = "taster: FAIL app run r1: " + String(repeating: "orders 1200 → 1197 (equal); ", count: 60)
        let text = Announcement.linked(summary, reportURIs: ["link": link], limit: 1024)
        #expect(text.utf8.count <= 1024)
        #expect(text.hasSuffix("… — verdict page: " + link))
        #expect(text.hasPrefix("taster: FAIL app run r1: orders"))
        #expect(Announcement.linked(summary, reportURIs: ["link": link], limit: 50) == link)
    }
}
