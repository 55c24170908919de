import FoundationEssentials
import TasterSupport

/// Reads a report given on the command line (`taster compare`): a file, or an object in a
/// bucket (`s3://bucket/key`).
package protocol ReportReader: Sendable {
    /// At most `maxBytes`; a missing or larger report is an error that names it.
    func read(_ location: String, maxBytes: Int) async throws -> Data
    /// At most `maxBytes`, into a spool file a part at a time (a document index): never held
    /// whole in memory. A missing or larger object is an error that names it.
    func download(_ location: String, maxBytes: Int) async throws -> SpoolFile
}

extension ReportReader {
    /// A reader that holds objects in memory anyway.
    package func download(_ location: String, maxBytes: Int) async throws -> SpoolFile {
        let data = try await read(location, maxBytes: maxBytes)
        let writer = try SpoolWriter(name: "download")
        try writer.write(data)
        return try writer.finish()
    }
}
