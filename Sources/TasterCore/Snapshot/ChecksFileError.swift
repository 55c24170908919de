/// The checks file (`TASTER_CHECKS`) cannot be used: unreadable, not YAML/JSON, or a check in it is
/// malformed. Names the file and the check. Exit 2, before MongoDB is touched.
public struct ChecksFileError: TasterError, Equatable {
    public let file: String
    /// `"revenue" (#2)`, or `#2` when the check has no name yet; nil for whole-file problems.
    public let check: String?
    /// 1-based line in the file, when known.
    public let line: Int?
    public let message: String

    public init(file: String, check: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.check = check
        self.line = line
        self.message = message
    }

    public var exitCode: TasterExitCode { .usage }

    public var description: String {
        var place = "checks file \(file)"
        if let check { place += ", check \(check)" }
        if let line { place += " (line \(line))" }
        return "\(place): \(message)"
    }
}
