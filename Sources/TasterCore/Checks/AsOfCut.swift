import FoundationEssentials
import TasterSupport

/// The cut of `asOf: baseline`: documents created at or before `time` count. How a database
/// reads it is the adapter's (`AsOfCut+Mongo.swift`).
package struct AsOfCut: Sendable {
    package let time: Date

    package init(time: Date) { self.time = time }

    /// The cut in whole milliseconds since 1970, rounded to the nearest: a time parsed back from
    /// a report's text is a binary fraction a hair below or above the millisecond written, and
    /// must cut at that millisecond, as the baseline did.
    package var milliseconds: Int64 { Int64((time.timeIntervalSince1970 * 1000).rounded()) }

    /// How the report shows the cut: `_id <= 2026-11-21T10:00:00.000Z`.
    package func describe(_ asOf: AsOf) -> String {
        "\(asOf.field) <= \(Timestamp.rfc3339(Date(timeIntervalSince1970: Double(milliseconds) / 1000)))"
    }
}
