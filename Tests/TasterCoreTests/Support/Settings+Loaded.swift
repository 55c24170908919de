@testable import TasterSettings
@testable import TasterSupport

extension Settings {
    /// Settings from `values`, for tests whose values are valid: a problem stops the test run
    /// with the error, rather than a `try!`.
    static func loaded(_ values: [String: String]) -> Settings {
        do {
            return try Settings.load(from: Environment(values))
        } catch {
            fatalError("the test's settings do not load: \(error)")
        }
    }
}
