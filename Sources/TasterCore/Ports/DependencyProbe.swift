/// `taster check` for one dependency (Kubernetes, the database, the report store): what was
/// tried and how it went. A probe never throws: what fails is a finding.
package protocol DependencyProbe: Sendable {
    func run() async -> [CheckFinding]
}

/// A dependency whose settings cannot be used: one failed finding saying why.
package struct UnconfiguredProbe: DependencyProbe {
    package let dependency: String
    package let error: any Error

    package init(dependency: String, error: any Error) {
        self.dependency = dependency
        self.error = error
    }

    package func run() async -> [CheckFinding] {
        [.init(dependency, "settings", .fail, "\(error)")]
    }
}
