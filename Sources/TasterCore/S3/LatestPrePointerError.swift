/// `latest-pre.json` exists but cannot be used. Exit code 4: no usable baseline.
public struct LatestPrePointerError: TasterError, Equatable {
    public var uri: S3URI
    public var reason: String
    public var exitCode: TasterExitCode { .noBaseline }
    public var description: String {
        "the baseline pointer \(uri) \(reason); run pre-taste again to write a new baseline"
    }
}
