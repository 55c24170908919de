import TasterSupport

/// A malformed `s3://` URI: a usage error (exit 2).
package struct S3URIParseError: TasterError, Equatable {
    package var text: String
    package var reason: String
    package var exitCode: TasterExitCode { .usage }
    package var description: String {
        "\"\(text)\" \(reason); write an S3 report location as s3://BUCKET/KEY, e.g. s3://taster-reports/taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json"
    }
}
