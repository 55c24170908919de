import TasterSupport

/// A listing answer taster cannot follow. Exit code 3.
package struct S3ListingError: TasterError {
    package var bucket: String
    package var prefix: String
    package var endpoint: String
    package var reason: String
    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        "S3 ListObjectsV2 of s3://\(bucket)/\(prefix) on \(endpoint) failed: \(reason); check that the endpoint is S3-compatible"
    }
}
