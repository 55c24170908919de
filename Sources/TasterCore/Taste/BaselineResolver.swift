import FoundationEssentials
import Logging

/// Finds the baseline a post-taste (or restore) works from, and refuses one that cannot be
/// trusted. Every refusal exits 4 and says what to do.
struct BaselineResolver: Sendable {
    let store: any ReportStore
    let layout: ReportLayout
    let logger: Logger

    /// Reports are small; anything bigger than this is not a taster report and is not read whole.
    static let maxReportBytes = 32 * 1024 * 1024

    struct Baseline: Sendable {
        let report: TasteReport
        let key: String
    }

    /// The baseline of `runID`, else the one `latest-pre.json` points at.
    func resolve(runID: String?) async throws -> Baseline {
        do {
            return try await find(runID: runID)
        } catch let error as S3ObjectTooLargeError {
            // Refused without being downloaded: no report is that large, so it is not a baseline.
            throw NoBaselineError(message: "no usable baseline: \(error)")
        }
    }

    private func find(runID: String?) async throws -> Baseline {
        let key: String
        if let runID {
            key = layout.key(.pre, run: runID)
        } else {
            let pointerKey = layout.latestPreKey
            guard let data = try await store.get(pointerKey, maxBytes: 64 * 1024) else {
                throw NoBaselineError(message: "no baseline: \(store.uri(for: pointerKey)) does not exist — run pre-taste first (check TASTER_PREFIX, TASTER_APP and the namespace match the pre-taste run)")
            }
            let pointer = try ReportCodec.decode(BaselinePointer.self, from: data, supported: BaselinePointer.currentSchemaVersion,
                                                 source: store.uri(for: pointerKey))
            key = pointer.key
            logger.info("baseline from latest-pre.json: run \(pointer.runID), taken \(pointer.takenAt)")
        }
        guard let data = try await store.get(key, maxBytes: Self.maxReportBytes) else {
            throw NoBaselineError(message: "no baseline: \(store.uri(for: key)) does not exist — run pre-taste for this run first")
        }
        let report = try ReportCodec.decode(TasteReport.self, from: data, supported: TasteReport.currentSchemaVersion,
                                            source: store.uri(for: key))
        guard report.phase == .pre else {
            throw NoBaselineError(message: "\(store.uri(for: key)) is a \(report.phase.rawValue) report, not a baseline")
        }
        guard report.errors.isEmpty else {
            throw NoBaselineError(message: "the baseline \(store.uri(for: key)) recorded errors (\(report.errors.joined(separator: "; "))); run pre-taste again")
        }
        return Baseline(report: report, key: key)
    }

    /// Refuses a baseline a completed post-taste already used, or one older than `maxAge`.
    func checkUsable(_ baseline: Baseline, maxAge: Duration, now: Date = Date()) async throws {
        let verdictKey = layout.key(.verdict, run: baseline.report.runID)
        if try await store.exists(verdictKey) {
            throw NoBaselineError(message: "the baseline of run \(baseline.report.runID) was already used: \(store.uri(for: verdictKey)) exists — run pre-taste again before the next post-taste")
        }
        guard let finished = Timestamp.parse(baseline.report.finishedAt) else {
            throw NoBaselineError(message: "the baseline \(store.uri(for: baseline.key)) has an unreadable finishedAt \"\(baseline.report.finishedAt)\"")
        }
        let age = now.timeIntervalSince(finished)
        if age > maxAge.seconds {
            throw NoBaselineError(message: "the baseline of run \(baseline.report.runID) was taken at \(baseline.report.finishedAt), \(DurationParser.format(.seconds(Int64(age)))) ago — older than --max-baseline-age \(DurationParser.format(maxAge)); run pre-taste again")
        }
    }
}

/// No usable baseline. Exit 4.
public struct NoBaselineError: TasterError {
    public let message: String
    public var exitCode: TasterExitCode { .noBaseline }
    public var description: String { message }
}
