/// An object is larger than the caller will read (a report is kilobytes; a gigabyte is a
/// mistake or an attack). Refused without reading it into memory. Exit code 3.
public struct S3ObjectTooLargeError: TasterError {
    public var bucket: String
    public var key: String
    public var limit: Int
    /// What the server declared, when it did.
    public var size: Int64?

    public var exitCode: TasterExitCode { .dependency }

    public var description: String {
        let size = size.map { "\($0) bytes" } ?? "larger than that"
        return "s3://\(bucket)/\(key) is \(size), more than the \(limit)-byte limit for a report: refusing to read it; "
            + "check that the key names a taster report"
    }
}
