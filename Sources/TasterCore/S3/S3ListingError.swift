/// A listing answer taster cannot follow. Exit code 3.
public struct S3ListingError: TasterError {
    public var bucket: String
    public var prefix: String
    public var endpoint: String
    public var reason: String
    public var exitCode: TasterExitCode { .dependency }
    public var description: String {
        "S3 ListObjectsV2 of s3://\(bucket)/\(prefix) on \(endpoint) failed: \(reason); check that the endpoint is S3-compatible"
    }
}
