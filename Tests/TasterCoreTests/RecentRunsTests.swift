import FoundationEssentials
import Testing

@testable import TasterCore

/// `recent-runs.json`: the verdict page's history reads the newest runs it names instead of
/// listing every run of the app.
@Suite("Recent runs (the verdict page's history)")
struct RecentRunsTests {
    static func run(_ number: Int) -> RecentRuns.Run {
        RecentRuns.Run(runID: "run-\(number)", createdAt: "2026-12-06T00:00:\(number)Z", result: .pass, page: true)
    }

    @Test("keeps the 20 newest, newest first, and counts every run once")
    func adding() {
        var recent = RecentRuns()
        for number in 1...25 { recent = recent.adding(Self.run(number)) }
        #expect(recent.total == 25)
        #expect(recent.runs.count == RecentRuns.limit)
        #expect(recent.runs.first?.runID == "run-25" && recent.runs.last?.runID == "run-6")
        #expect(recent.adding(Self.run(25)) == recent, "a run already listed is not counted again")
        let decoded = try? ReportCodec.decode(RecentRuns.self, from: ReportCodec.encode(recent), supported: 1, source: "test")
        #expect(decoded == recent)
    }

    @Test("an edited file: a total that would overflow is unreadable (built again from the listing); a long list keeps 20")
    func editedFile() throws {
        for total in [Int.max, Int.min, -1, 1_000_000_001] {
            let text = #"{"schemaVersion":1,"total":\#(total),"runs":[{"runId":"r","createdAt":"2026-12-06T00:00:00Z","result":"pass","page":true}]}"#
            #expect(throws: (any Error).self) {
                try ReportCodec.decode(RecentRuns.self, from: Data(text.utf8), supported: 1, source: "test")
            }
        }
        var long = RecentRuns(total: 50)
        long.runs = (1...50).map(Self.run)
        let decoded = try ReportCodec.decode(RecentRuns.self, from: ReportCodec.encode(long), supported: 1, source: "test")
        #expect(decoded.runs.count == RecentRuns.limit && decoded.total == 50)
        #expect(decoded.adding(Self.run(99)).total == 51)
    }

    @Test("23 post-tastes of one app: the prefix is listed once (no list yet), the last page shows 20 runs and 2 older not shown")
    func boundedHistory() async throws {
        let workloads = WorkflowOrderingTests.Workloads(WorkflowOrderingTests.scaledDown)
        let store = WorkflowOrderingTests.Store()
        let database = WorkflowOrderingTests.Database(count: 10, failing: nil)
        for number in 1...23 {
            _ = try await WorkflowOrderingTests.preTaste(workloads: workloads, database: database, store: store, runID: "run-\(number)")
            _ = try await WorkflowOrderingTests.postTaste(workloads: workloads, database: database, store: store)
        }
        #expect(store.listings.withLock { $0 } == 1)
        let layout = WorkflowOrderingTests.layout
        let recent = try ReportCodec.decode(
            RecentRuns.self, from: #require(store.objects.withLock { $0[layout.recentRunsKey] }), supported: 1, source: "test")
        #expect(recent.total == 23 && recent.runs.count == 20 && recent.runs.first?.runID == "run-23")
        let page = String(decoding: try #require(store.objects.withLock { $0[layout.key(.verdictHTML, run: "run-23")] }), as: UTF8.self)
        #expect(page.contains("History: 20 earlier runs of shop (and 2 older, not shown)"))
        #expect(page.contains("run-22") && !page.contains("run-2<"), "the newest shown, the oldest not")
    }
}
