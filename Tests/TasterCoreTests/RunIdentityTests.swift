import Foundation
import Testing

@testable import TasterCore

/// Run ids: pre and post of one Argo CD sync pair; timestamp ids never collide.
@Suite("Run identity")
struct RunIdentityTests {
    @Test("a timestamp id is the UTC second and a random suffix; two in the same second differ")
    func timestampIDs() {
        let second = Date(timeIntervalSince1970: 1_795_255_200) // 2026-11-21T10:00:00Z
        let first = RunIdentity.timestampID(second)
        let again = RunIdentity.timestampID(second)
        #expect(first.hasPrefix("20261121T100000Z-"))
        #expect(first.count == "20261121T100000Z-".count + 6)
        #expect(first.dropFirst(17).allSatisfy { $0.isHexDigit })
        #expect(first != again, "a retried hook within one second must not reuse the run id")
        #expect(
            RunIdentity.timestampID(second) < RunIdentity.timestampID(second.addingTimeInterval(1)),
            "ids sort by time")
    }

    @Test("an Argo CD sync id: start time and a short revision, the same in PreSync and PostSync")
    func syncIDs() {
        let operation = SyncOperation(revisions: ["1A2B3C4D5E6F7A8B9C0D"], startedAt: "2026-11-21T10:00:00Z")
        #expect(RunIdentity.id(for: operation) == "sync-20261121T100000Z-1a2b3c4d5e6f")
        #expect(RunIdentity.id(for: operation) == RunIdentity.id(for: operation))
        let helm = SyncOperation(revisions: ["1.4.2", "main"], startedAt: "2026-11-21T10:00:00Z")
        #expect(RunIdentity.id(for: helm).hasPrefix("sync-20261121T100000Z-"))
        #expect(RunIdentity.id(for: helm).count == "sync-20261121T100000Z-".count + 12)
    }
}
