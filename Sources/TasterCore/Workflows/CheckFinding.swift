import TasterSupport

/// One line of `taster check`: a dependency, what was tried, and how it went.
package struct CheckFinding: Sendable, Equatable {
    package enum Status: String, Sendable {
        case ok = "OK"
        /// Works for taster's purpose, but something deserves a look.
        case warn = "WARN"
        /// taster will fail here: exit 3.
        case fail = "FAIL"
    }

    package var dependency: String
    package var subject: String
    package var status: Status
    package var detail: String

    package init(_ dependency: String, _ subject: String, _ status: Status, _ detail: String) {
        self.dependency = dependency
        self.subject = subject
        self.status = status
        self.detail = detail
    }
}

extension Array where Element == CheckFinding {
    /// `DEPENDENCY  CHECK  RESULT  DETAIL`.
    package var table: String {
        TextTable(
            header: ["DEPENDENCY", "CHECK", "RESULT", "DETAIL"],
            rows: map { [$0.dependency, $0.subject, $0.status.rawValue, $0.detail] }
        ).render()
    }

    package var hasFailures: Bool { contains { $0.status == .fail } }
}

/// `taster check` found something that will make taster fail. Exit 3.
package struct CheckFailedError: TasterError {
    package let failures: [CheckFinding]
    package init(failures: [CheckFinding]) { self.failures = failures }
    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        "check failed: " + failures.map { "\($0.dependency) \($0.subject): \($0.detail)" }.joined(separator: "; ")
    }
}
