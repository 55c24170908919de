import Foundation
import Logging
import Testing

@testable import TasterCore
@testable import TasterSupport

/// Which salt and rounds a phase derives the evidence key with: a new salt at pre-taste, the
/// baseline's at post-taste, the one salt of then for a schemaVersion 2 baseline, and for a
/// damaged record a new salt and the reason.
@Suite("Evidence key resolution")
struct EvidenceKeyResolverTests {
    static let password = EvidenceSecret.password(Secret("pw-of-the-database", origin: "the password in MONGODB_URI"))
    let resolver = EvidenceKeyResolver(logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), deadline: Deadline(budget: .seconds(60)))

    static func baseline(version: Int = TasteReport.currentSchemaVersion, record: EvidenceKeyRecord?, keyedIndex: Bool = true) -> TasteReport {
        var check = CheckResult(name: "orders", kind: .fingerprint, database: "shop", collection: "orders", value: nil, durationSeconds: 0)
        check.index = DocumentIndexRecord(format: 2, key: "k", sha256: "s", bytes: 1, documents: 1, keyID: keyedIndex ? record?.id ?? "0011223344556677" : nil)
        var report = TasteReport(
            phase: .pre, runID: "r1", app: "shop", namespace: "shop", host: "pod", startedAt: "t", finishedAt: "t",
            settings: SettingsSummary(
                mongodb: nil, database: "shop", collections: [], checksFile: nil, workloads: [], bucket: nil, prefix: nil, endpoint: nil,
                deadline: "5m", readyTimeout: "1m", mongoWait: "1m"),
            workloads: [],
            snapshot: Snapshot(database: "shop", serverVersion: "7.0", takenAt: "t", clock: "server", durationSeconds: 0, checks: [check]),
            evidenceKey: record)
        report.schemaVersion = version
        return report
    }

    @Test("pre-taste: a new salt and 600,000 rounds; post-taste: the baseline's salt and rounds, the same key")
    func baselinesSalt() throws {
        let pre = try resolver.resolve(Self.password, baseline: nil)
        let key = try #require(pre.key)
        #expect(key.stretching?.rounds == 600_000 && key.stretching?.salt.count == 16 && pre.baselineProblem == nil)
        let again = try resolver.resolve(Self.password, baseline: nil)
        #expect(again.key?.id != key.id)
        let post = try resolver.resolve(Self.password, baseline: Self.baseline(record: key.record))
        #expect(post.key?.id == key.id && post.key?.stretching == key.stretching && post.baselineProblem == nil)
    }

    @Test("a schemaVersion 2 baseline: the one salt and 100,000 rounds of then")
    func olderBaseline() throws {
        let post = try resolver.resolve(Self.password, baseline: Self.baseline(version: 2, record: nil))
        #expect(post.key?.id == EvidenceKeyTests.legacyID && post.baselineProblem == nil)
    }

    @Test("a damaged record or none beside keyed indexes: a new salt, and the reason; none beside unkeyed ones is no problem")
    func damaged() throws {
        let salt = String(repeating: "ab", count: 16)
        var absurd = EvidenceKeyRecord(id: "0011223344556677", salt: salt, rounds: 1_000_000_000_000)
        let clock = ContinuousClock()
        let started = clock.now
        let refused = try resolver.resolve(Self.password, baseline: Self.baseline(record: absurd))
        #expect(started.duration(to: clock.now) < .seconds(10))
        #expect(refused.baselineProblem?.contains("rounds 1000000000000 is outside 10000–10000000") == true)
        #expect(refused.key?.stretching?.rounds == 600_000)
        absurd.rounds = 600_000
        absurd.salt = "abab"
        #expect(try resolver.resolve(Self.password, baseline: Self.baseline(record: absurd)).baselineProblem?.contains("salt") == true)
        let missing = try resolver.resolve(Self.password, baseline: Self.baseline(record: nil))
        #expect(missing.baselineProblem?.contains("it is missing") == true)
        let unkeyed = try resolver.resolve(Self.password, baseline: Self.baseline(record: nil, keyedIndex: false))
        #expect(unkeyed.baselineProblem == nil)
    }

    @Test("TASTER_EVIDENCE_KEY: nothing derived, the record is the id alone, whatever the baseline says")
    func givenKey() throws {
        let given = EvidenceSecret.key(Secret("an-evidence-key-of-the-secret", origin: "TASTER_EVIDENCE_KEY"))
        let damaged = EvidenceKeyRecord(id: "0011223344556677", salt: "zz", rounds: 5)
        let resolved = try resolver.resolve(given, baseline: Self.baseline(record: damaged))
        #expect(resolved.baselineProblem == nil && resolved.key?.stretching == nil)
        #expect(resolved.key?.record == EvidenceKeyRecord(id: resolved.key?.id ?? ""))
    }
}
