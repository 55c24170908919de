/// One difference between the baseline's inventory and the post report's: what changed, the
/// spec before and after, and what the structure rules made of it.
package struct StructureComparison: Sendable, Equatable, Codable {
    package enum Result: String, Sendable, Codable {
        case pass
        case warn
        case fail
        /// The difference could not be judged: a side has no inventory, or the server refused
        /// to describe the collection. Never a pass, never a failure.
        case unknown
    }

    /// What the row is about: `index orders.email_1`, `collection audit`, `database pxbbq`.
    package var subject: String
    /// What happened to it: `dropped (unique)`, `created`, `emptied (~120 → 0 documents)`.
    package var change: String
    /// The rule that judged it; nil for `unknown`.
    package var aspect: StructureAspect?
    /// The spec or option in the baseline and after the sync, where there is one.
    package var before: String?
    package var after: String?
    package var severity: StructureSeverity?
    package var result: Result

    package init(
        subject: String, change: String, aspect: StructureAspect?, before: String? = nil, after: String? = nil,
        severity: StructureSeverity?, result: Result
    ) {
        self.subject = subject
        self.change = change
        self.aspect = aspect
        self.before = before
        self.after = after
        self.severity = severity
        self.result = result
    }

    /// The row in words: `index orders.email_1 dropped (unique)`.
    package var description: String { "\(subject) \(change)" }
}
