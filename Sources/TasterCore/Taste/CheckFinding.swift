/// One line of `taster check`: a dependency, what was tried, and how it went.
public struct CheckFinding: Sendable, Equatable {
    public enum Status: String, Sendable {
        case ok = "OK"
        /// Works for taster's purpose, but something deserves a look.
        case warn = "WARN"
        /// taster will fail here: exit 3.
        case fail = "FAIL"
    }

    public var dependency: String
    public var subject: String
    public var status: Status
    public var detail: String

    public init(_ dependency: String, _ subject: String, _ status: Status, _ detail: String) {
        self.dependency = dependency
        self.subject = subject
        self.status = status
        self.detail = detail
    }
}

extension Array where Element == CheckFinding {
    /// `DEPENDENCY  CHECK  RESULT  DETAIL`.
    public var table: String {
        TextTable(header: ["DEPENDENCY", "CHECK", "RESULT", "DETAIL"],
                  rows: map { [$0.dependency, $0.subject, $0.status.rawValue, $0.detail] }).render()
    }

    public var hasFailures: Bool { contains { $0.status == .fail } }
}

/// `taster check` found something that will make taster fail. Exit 3.
public struct CheckFailedError: TasterError {
    public let failures: [CheckFinding]
    public init(failures: [CheckFinding]) { self.failures = failures }
    public var exitCode: TasterExitCode { .dependency }
    public var description: String {
        "check failed: " + failures.map { "\($0.dependency) \($0.subject): \($0.detail)" }.joined(separator: "; ")
    }
}
