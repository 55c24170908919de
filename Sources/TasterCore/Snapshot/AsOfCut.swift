import FoundationEssentials

/// The filter of `asOf: baseline`: documents created at or before `time`.
///
/// - `_id`: ObjectIds start with their creation time in whole seconds, so the filter is
///   `_id <= ObjectId(<seconds>ffffffffffffffff)`: documents of the cut's second are included, and
///   documents whose `_id` is not an ObjectId never match (use `asOfField` for those).
/// - a date field: `field <= time` in milliseconds; documents without the field do not match.
struct AsOfCut {
    let time: Date

    /// The cut in whole milliseconds since 1970, rounded to the nearest: a time parsed back from
    /// a report's text is a binary fraction a hair below or above the millisecond written, and
    /// must cut at that millisecond, as the baseline did.
    var milliseconds: Int64 { Int64((time.timeIntervalSince1970 * 1000).rounded()) }

    func filterJSON(for asOf: AsOf) -> String {
        if asOf.usesObjectID {
            let whole = milliseconds
            let seconds = UInt32(clamping: whole >= 0 ? whole / 1000 : (whole - 999) / 1000)
            let hex = String(seconds, radix: 16)
            let objectID = String(repeating: "0", count: 8 - hex.count) + hex + "ffffffffffffffff"
            return #"{"_id": {"$lte": {"$oid": "\#(objectID)"}}}"#
        }
        return "{\(ExtendedJSONText.quote(asOf.field)): {\"$lte\": {\"$date\": {\"$numberLong\": \"\(milliseconds)\"}}}}"
    }

    /// How the report shows the cut: `_id <= 2026-11-21T10:00:00.000Z`.
    func describe(_ asOf: AsOf) -> String {
        "\(asOf.field) <= \(Timestamp.rfc3339(Date(timeIntervalSince1970: Double(milliseconds) / 1000)))"
    }
}
