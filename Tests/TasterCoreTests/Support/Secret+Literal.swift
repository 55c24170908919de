@testable import TasterSupport

/// Tests spell secrets as literals; production code makes each one with its origin.
extension Secret: ExpressibleByStringLiteral {
    public init(stringLiteral value: String) {
        self.init(value, origin: "a test's literal")
    }
}
