/// A malformed `s3://` URI: a usage error (exit 2).
public struct S3URIParseError: TasterError, Equatable {
    public var text: String
    public var reason: String
    public var exitCode: TasterExitCode { .usage }
    public var description: String {
        "\"\(text)\" \(reason); write an S3 report location as s3://BUCKET/KEY, e.g. s3://taster-reports/taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json"
    }
}
