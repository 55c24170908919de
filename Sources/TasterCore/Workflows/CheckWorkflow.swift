/// `taster check`: each dependency's probe in turn, Kubernetes first (it resolved the namespace,
/// and with it the report prefix the S3 probe writes under, as the hooks do).
package struct CheckWorkflow: Sendable {
    package let probes: [any DependencyProbe]

    package init(probes: [any DependencyProbe]) {
        self.probes = probes
    }

    package func run() async -> [CheckFinding] {
        var findings: [CheckFinding] = []
        for probe in probes { findings += await probe.run() }
        return findings
    }
}
