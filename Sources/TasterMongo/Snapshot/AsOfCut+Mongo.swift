import TasterCore

extension AsOfCut {
    /// The filter of `asOf: baseline` in MongoDB: documents created at or before `time`.
    ///
    /// - `_id`: ObjectIds start with their creation time in whole seconds, so the filter is
    ///   `_id <= ObjectId(<seconds>ffffffffffffffff)`: documents of the cut's second are included, and
    ///   documents whose `_id` is not an ObjectId never match (use `asOfField` for those).
    /// - a date field: `field <= time` in milliseconds; documents without the field do not match.
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
}
