import TasterCore
import TasterSupport

/// An object is larger than the caller will read (a report is kilobytes; a gigabyte is a
/// mistake or an attack). Refused without reading it into memory. Exit code 3.
package struct S3ObjectTooLargeError: StoredObjectTooLarge {
    package var bucket: String
    package var key: String
    package var limit: Int
    /// What the server declared, when it did.
    package var size: Int64?

    package var exitCode: TasterExitCode { .dependency }

    package var description: String {
        let size = size.map { "\($0) bytes" } ?? "larger than that"
        return "s3://\(bucket)/\(key) is \(size), more than the \(limit)-byte limit for a report: refusing to read it; "
            + "check that the key names a taster report"
    }
}
