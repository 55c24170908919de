/// A value read from a BSON document, kept exact: Decimal128 as its decimal string, dates as
/// milliseconds since the epoch, anything else as canonical extended JSON.
package enum BSONValue: Sendable, Equatable {
    case int32(Int32)
    case int64(Int64)
    case double(Double)
    /// Decimal128, as `bson_decimal128_to_string` prints it (`1.10`, `1E+3`).
    case decimal128(String)
    case string(String)
    case bool(Bool)
    /// UTC milliseconds since the Unix epoch.
    case dateTime(Int64)
    /// 24 hex digits.
    case objectID(String)
    case null
    /// Any other type (documents, arrays, binary...) as canonical extended JSON.
    case other(String)

    /// The value as an exact 64-bit integer, when it is an int32 or int64.
    package var int64: Int64? {
        switch self {
        case .int32(let value): Int64(value)
        case .int64(let value): value
        default: nil
        }
    }
}
