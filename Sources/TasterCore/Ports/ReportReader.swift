import FoundationEssentials

/// Reads a report given on the command line (`taster compare`): a file, or an object in a
/// bucket (`s3://bucket/key`).
package protocol ReportReader: Sendable {
    /// At most `maxBytes`; a missing or larger report is an error that names it.
    func read(_ location: String, maxBytes: Int) async throws -> Data
}
