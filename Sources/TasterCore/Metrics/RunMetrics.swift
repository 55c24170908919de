import TasterSupport

/// What a hook's run says to monitoring: its outcome, how long it took, when it ended and, per
/// check, the measured value and whether it failed. Built by the hook runner from the outcome or
/// the error; the families are pure, so their text is unit-tested.
///
/// The grouping key (`job="taster"`, `app`, `namespace`, `phase`) is not in the families: a
/// Pushgateway adds it to every series of the group.
package struct RunMetrics: Sendable, Equatable {
    /// The run's outcome, the `result` label of `taster_run_result`.
    package enum Result: String, Sendable, CaseIterable {
        case pass
        /// Data changed beyond a rule (also under `--report-only`: monitoring sees the change).
        case fail
        /// A dependency, a setting or the restore failed.
        case error
        case noBaseline = "no_baseline"
        /// Stopped by SIGTERM or SIGINT.
        case interrupted

        /// The result an error ending the run stands for.
        package init(error: any Error) {
            switch (error as? any TasterError)?.exitCode {
            case .noBaseline: self = .noBaseline
            case .interrupted, .terminated: self = .interrupted
            default: self = Interruption.signal == nil ? .error : .interrupted
            }
        }
    }

    /// One check's numbers: the value measured in this phase (nil when it is not a number: a
    /// digest, a text, a missing collection) and, after a comparison, whether it failed.
    package struct Check: Sendable, Equatable {
        package var name: String
        package var value: Double?
        package var failed: Bool?

        package init(name: String, value: Double?, failed: Bool?) {
            self.name = name
            self.value = value
            self.failed = failed
        }
    }

    package var phase: String
    package var app: String
    package var namespace: String
    package var result: Result
    package var durationSeconds: Double
    /// When the run ended, seconds since the Unix epoch.
    package var endedAt: Double
    package var checks: [Check]
    /// The verdict, for the evidence counts (post-taste only).
    package var verdict: Verdict?

    package init(
        phase: String, app: String, namespace: String, result: Result, durationSeconds: Double, endedAt: Double,
        checks: [Check] = [], verdict: Verdict? = nil
    ) {
        self.phase = phase
        self.app = app
        self.namespace = namespace
        self.result = result
        self.durationSeconds = durationSeconds
        self.endedAt = endedAt
        self.checks = checks
        self.verdict = verdict
    }

    /// The run's families: the result (one series per possible result, 1 for this run's), the
    /// duration, the end time, and per check its value and whether it failed, plus the
    /// evidence counts where the verdict has them. `taster_last_success_timestamp_seconds` is
    /// not among them: see `lastSuccessFamilies`.
    package var families: [MetricFamily] {
        var families = [
            MetricFamily(
                "taster_run_result", .gauge, help: "1 for the outcome of the last run of this phase, 0 for the others.",
                samples: Result.allCases.map { .init([("result", $0.rawValue)], $0 == result ? 1 : 0) }),
            MetricFamily(
                "taster_run_duration_seconds", .gauge, help: "How long the last run of this phase took, in seconds.",
                samples: [.init(durationSeconds)]),
            MetricFamily(
                "taster_run_timestamp_seconds", .gauge, help: "When the last run of this phase ended, in seconds since the Unix epoch.",
                samples: [.init(endedAt)]),
            MetricFamily(
                "taster_check_value", .gauge, help: "The value a check measured in the last run of this phase (numeric checks only).",
                samples: checks.compactMap { check in check.value.map { .init([("check", check.name)], $0) } }),
            MetricFamily(
                "taster_check_failed", .gauge, help: "1 when the check broke its rule with severity fail in the last comparison, else 0.",
                samples: checks.compactMap { check in check.failed.map { .init([("check", check.name)], $0 ? 1 : 0) } }),
        ]
        if let verdict { families += Self.evidenceFamilies(for: verdict) }
        return families
    }

    /// `taster_last_success_timestamp_seconds`, only for a run that passed. It is pushed to a
    /// group of its own, so a later failed run (whose push replaces the run's group) does not
    /// erase when the app last passed.
    package var lastSuccessFamilies: [MetricFamily] {
        guard result == .pass else { return [] }
        return [
            MetricFamily(
                "taster_last_success_timestamp_seconds", .gauge,
                help: "When a run of this phase last passed, in seconds since the Unix epoch.", samples: [.init(endedAt)])
        ]
    }

    /// The evidence counts of a verdict: `taster_check_documents{check, change="lost|added|modified"}`
    /// for each check whose documents could be named. A check without an index (or whose index
    /// could not be trusted) gets no series: a count of 0 would claim an absence of changes that
    /// was never looked for.
    package static func evidenceFamilies(for verdict: Verdict) -> [MetricFamily] {
        let samples = verdict.checks.flatMap { check -> [MetricFamily.Sample] in
            guard let evidence = check.evidence, evidence.unavailable == nil else { return [] }
            return [("lost", evidence.lost), ("added", evidence.added), ("modified", evidence.modified)].map { change, documents in
                .init([("check", check.name), ("change", change)], Double(documents?.count ?? 0))
            }
        }
        guard !samples.isEmpty else { return [] }
        return [
            MetricFamily(
                "taster_check_documents", .gauge,
                help: "Documents of a check lost, added or modified since the baseline, in the last comparison.",
                samples: samples)
        ]
    }
}

extension RunMetrics.Check {
    /// A check as a snapshot measured it (pre-taste: nothing compared yet).
    package init(measured check: CheckResult) {
        self.init(name: check.name, value: check.value?.metricValue, failed: nil)
    }

    /// A check as the comparison judged it (post-taste): the post value, failed when its rule
    /// broke with severity fail.
    package init(compared check: CheckComparison) {
        self.init(name: check.name, value: check.post?.metricValue, failed: check.result == .fail)
    }
}

extension CheckValue {
    /// The value as a Prometheus sample: numbers only (a decimal as its nearest double); nil for
    /// a digest or a text.
    package var metricValue: Double? {
        switch self {
        case .int64(let value): Double(value)
        case .double(let value): value
        case .decimal(let text): Double(text)
        case .digest, .text: nil
        }
    }
}
