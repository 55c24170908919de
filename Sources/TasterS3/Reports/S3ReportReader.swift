import FoundationEssentials
import Logging
import TasterCore
import TasterSupport

/// Reads a report named by an `s3://bucket/key` URI (`taster compare`). The client is made for
/// each read, from the settings with the URI's bucket, so a command that never names a bucket
/// needs no S3 settings at all.
package struct S3ReportReader: ReportReader {
    package let settings: S3Settings
    package let deadline: Deadline
    package let logger: Logger

    package init(settings: S3Settings, deadline: Deadline, logger: Logger) {
        self.settings = settings
        self.deadline = deadline
        self.logger = logger
    }

    package func read(_ location: String, maxBytes: Int) async throws -> Data {
        let uri = try S3URI.parse(location).get()
        var settings = settings
        if settings.bucket == nil { settings.bucket = uri.bucket }
        let client = try S3Client(settings: settings, deadline: deadline, logger: logger)
        return try await client.get(uri, maxBytes: maxBytes)
    }

    package func download(_ location: String, maxBytes: Int) async throws -> SpoolFile {
        let uri = try S3URI.parse(location).get()
        var settings = settings
        settings.bucket = uri.bucket
        let client = try S3Client(settings: settings, deadline: deadline, logger: logger)
        guard let file = try await client.download(key: uri.key, maxBytes: maxBytes) else {
            throw ReportFileError(path: location, problem: "does not exist")
        }
        return file
    }
}
