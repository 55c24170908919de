/// What a check measures. The spelling is the one used in checks files and reports.
package enum CheckKind: String, Sendable, Codable, CaseIterable {
    /// Exact `countDocuments` with an optional filter.
    case count
    /// Metadata-only estimate (opt-in; fast, not exact).
    case estimatedCount = "estimated-count"
    /// Sum of a numeric field.
    case sum
    case min
    case max
    /// Number of distinct values of a field.
    case distinctCount = "distinct-count"
    /// A pipeline whose single result document holds a number in a named field.
    case aggregate
    /// An order-independent digest of chosen fields of every document.
    case fingerprint
    /// SQL: a read-only SELECT that returns one number.
    case query
}
