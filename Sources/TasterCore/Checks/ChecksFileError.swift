import TasterSupport

/// The checks file (`TASTER_CHECKS`) cannot be used: unreadable, not YAML/JSON, or a check in it is
/// malformed. Names the file and the check. Exit 2, before MongoDB is touched.
package struct ChecksFileError: TasterError, Equatable {
    package let file: String
    /// `"revenue" (#2)`, or `#2` when the check has no name yet; nil for whole-file problems.
    package let check: String?
    /// 1-based line in the file, when known.
    package let line: Int?
    package let message: String

    package init(file: String, check: String? = nil, line: Int? = nil, message: String) {
        self.file = file
        self.check = check
        self.line = line
        self.message = message
    }

    package var exitCode: TasterExitCode { .usage }

    package var description: String {
        var place = "checks file \(file)"
        if let check { place += ", check \(check)" }
        if let line { place += " (line \(line))" }
        return "\(place): \(message)"
    }
}
