import FoundationEssentials
import TasterSupport

/// Reads a report given on the command line: an `s3://bucket/key` URI through `bucket` (the S3
/// adapter, which connects only when such a URI is given), anything else as a local file.
package struct ReportLocationReader: ReportReader {
    /// Reads `s3://` URIs.
    package let bucket: any ReportReader

    package init(bucket: any ReportReader) {
        self.bucket = bucket
    }

    package func read(_ location: String, maxBytes: Int) async throws -> Data {
        if location.lowercased().hasPrefix("s3://") {
            return try await bucket.read(location, maxBytes: maxBytes)
        }
        return try Self.readFile(location, maxBytes: maxBytes)
    }

    package func download(_ location: String, maxBytes: Int) async throws -> SpoolFile {
        if location.lowercased().hasPrefix("s3://") {
            return try await bucket.download(location, maxBytes: maxBytes)
        }
        return try Self.readFile(location, maxBytes: maxBytes) { path, maxBytes throws(FileIO.Failure) in try FileIO.spool(path, maxBytes: maxBytes) }
    }

    static func readFile(_ path: String, maxBytes: Int) throws -> Data {
        try readFile(path, maxBytes: maxBytes) { path, maxBytes throws(FileIO.Failure) in try FileIO.read(path, maxBytes: maxBytes) }
    }

    /// `read` of the file at `path`, its failures said as a report's.
    static func readFile<T>(_ path: String, maxBytes: Int, _ read: (String, Int) throws(FileIO.Failure) -> T) throws -> T {
        do {
            return try read(path, maxBytes)
        } catch .missing {
            throw ReportFileError(path: path, problem: "does not exist")
        } catch .unreadable(let reason) {
            throw ReportFileError(path: path, problem: "cannot be read: \(reason)")
        } catch .tooLarge {
            throw ReportFileError(path: path, problem: "is larger than \(maxBytes >> 20) MiB, which no taster report is")
        }
    }
}

/// A report file given on the command line cannot be read. Exit 2.
package struct ReportFileError: TasterError {
    package let path: String
    package let problem: String
    package init(path: String, problem: String) {
        self.path = path
        self.problem = problem
    }
    package var exitCode: TasterExitCode { .usage }
    package var description: String { "the report \(path) \(problem)" }
}
