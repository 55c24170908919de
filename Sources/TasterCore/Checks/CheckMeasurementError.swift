import TasterSupport

/// A check ran but its result cannot be used as configured (an aggregate or query that returns
/// several documents or rows or no number, a sum that overflowed, a column the table lacks). Exit 2: the checks file must change.
package struct CheckMeasurementError: TasterError {
    package let check: String
    package let origin: String
    package let message: String

    package init(check: CheckDefinition, message: String) {
        self.check = check.name
        self.origin = check.origin
        self.message = message
    }

    package var exitCode: TasterExitCode { .usage }
    package var description: String { "\(origin): \(message)" }
}
