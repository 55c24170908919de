/// Where a hook's run metrics go (a Prometheus Pushgateway). Best effort with a budget of its
/// own, like an announcer: it never throws, never changes the verdict or the exit code; a failure
/// is one warning in the log.
package protocol MetricsPublisher: Sendable {
    func publish(_ metrics: RunMetrics) async
}

/// No metrics configured.
package struct NoMetrics: MetricsPublisher {
    package init() {}
    package func publish(_ metrics: RunMetrics) async {}
}
