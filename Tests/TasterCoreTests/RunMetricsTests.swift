import Foundation
import Testing

@testable import TasterCore
@testable import TasterMetrics
@testable import TasterSettings
@testable import TasterSupport

@Suite("Run metrics")
struct RunMetricsTests {
    @Test("exposition: HELP and TYPE once per family, label values escaped, values as Prometheus spells them")
    func exposition() {
        let family = MetricFamily(
            "taster_check_value", .gauge, help: "a \\ help\nline",
            samples: [.init([("check", "a\"b\\c\nd")], 3), .init([("check", "x")], 1.5), .init([("check", "inf")], .infinity)])
        #expect(
            family.exposition == """
                # HELP taster_check_value a \\\\ help\\nline
                # TYPE taster_check_value gauge
                taster_check_value{check="a\\"b\\\\c\\nd"} 3
                taster_check_value{check="x"} 1.5
                taster_check_value{check="inf"} +Inf

                """)
        #expect(MetricFamily("empty", .gauge, help: "h", samples: []).exposition == "")
        #expect(MetricFamily.format(.nan) == "NaN")
        #expect(MetricFamily.format(-.infinity) == "-Inf")
        #expect(MetricFamily.format(1_764_900_000.25) == "1764900000.25")
    }

    func metrics(_ result: RunMetrics.Result) -> RunMetrics {
        RunMetrics(
            phase: "post-taste", app: "pxbbq", namespace: "stage", result: result, durationSeconds: 12.5, endedAt: 1_764_900_000,
            checks: [
                .init(name: "orders", value: 199, failed: true), .init(name: "fingerprint", value: nil, failed: false),
                .init(name: "fresh", value: 4, failed: nil),
            ])
    }

    @Test("the run's families: one result series per outcome, check values only for numbers, failed only when compared")
    func families() {
        let text = MetricFamily.exposition(metrics(.fail).families)
        for line in [
            "# TYPE taster_run_result gauge", "taster_run_result{result=\"fail\"} 1", "taster_run_result{result=\"pass\"} 0",
            "taster_run_result{result=\"no_baseline\"} 0", "taster_run_result{result=\"interrupted\"} 0",
            "taster_run_result{result=\"error\"} 0", "taster_run_duration_seconds 12.5", "taster_run_timestamp_seconds 1764900000",
            "taster_check_value{check=\"orders\"} 199", "taster_check_value{check=\"fresh\"} 4", "taster_check_failed{check=\"orders\"} 1",
            "taster_check_failed{check=\"fingerprint\"} 0",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        #expect(!text.contains("check=\"fingerprint\"} 0\ntaster_check_value"))
        #expect(!text.contains("taster_check_value{check=\"fingerprint\"}"))
        #expect(!text.contains("taster_check_failed{check=\"fresh\"}"))
        #expect(!text.contains("taster_last_success"))
        #expect(metrics(.fail).lastSuccessFamilies.isEmpty)
        #expect(MetricFamily.exposition(metrics(.pass).lastSuccessFamilies).contains("taster_last_success_timestamp_seconds 1764900000\n"))
    }

    @Test("evidence counts: a series per change for each check whose documents were named, none for one that could not be")
    func evidence() {
        func comparison(_ name: String, _ evidence: CheckEvidence?) -> CheckComparison {
            CheckComparison(
                name: name, kind: .fingerprint, collection: "orders", pre: nil, post: nil, delta: nil, rule: .equal,
                severity: .fail, result: .fail, reason: nil, evidence: evidence)
        }
        let verdict = Verdict(
            runID: "r1", app: "pxbbq", namespace: "stage", createdAt: "2026-12-05T00:00:00Z", result: .fail, reportOnly: false,
            preKey: nil, postKey: nil, preTakenAt: "2026-12-05T00:00:00Z", postTakenAt: "2026-12-05T00:01:00Z",
            checks: [
                comparison("orders-fingerprint", CheckEvidence(lost: .init(count: 3), modified: .init(count: 1))),
                comparison("old", .unavailable("the baseline predates document indexes")),
                comparison("plain", nil),
            ], summary: "FAIL")
        let text = MetricFamily.exposition(RunMetrics.evidenceFamilies(for: verdict))
        #expect(text.contains("# TYPE taster_check_documents gauge\n"))
        for line in [
            "taster_check_documents{check=\"orders-fingerprint\",change=\"lost\"} 3",
            "taster_check_documents{check=\"orders-fingerprint\",change=\"added\"} 0",
            "taster_check_documents{check=\"orders-fingerprint\",change=\"modified\"} 1",
        ] {
            #expect(text.contains(line + "\n"), "\(line)")
        }
        #expect(!text.contains("check=\"old\""))
        #expect(!text.contains("check=\"plain\""))
        let none = Verdict(
            runID: "r1", app: "pxbbq", namespace: "stage", createdAt: "2026-12-05T00:00:00Z", result: .pass, reportOnly: false,
            preKey: nil, postKey: nil, preTakenAt: "2026-12-05T00:00:00Z", postTakenAt: "2026-12-05T00:01:00Z",
            checks: [comparison("plain", nil)], summary: "PASS")
        #expect(RunMetrics.evidenceFamilies(for: none).isEmpty)
    }

    @Test("check values: integers, doubles and decimals are numbers; digests and texts are not")
    func checkValues() {
        #expect(CheckValue.int64(9_007_199_254_740_993).metricValue == 9_007_199_254_740_993)
        #expect(CheckValue.decimal("10.25").metricValue == 10.25)
        #expect(CheckValue.digest("ab12").metricValue == nil)
        #expect(CheckValue.text("\"x\"").metricValue == nil)
    }

    @Test("an error's result: no baseline, interrupted, else error")
    func errorResults() {
        #expect(RunMetrics.Result(error: NoBaselineError(message: "none")) == .noBaseline)
        struct Stopped: TasterError {
            var exitCode: TasterExitCode { .terminated }
            var description: String { "stopped" }
        }
        #expect(RunMetrics.Result(error: Stopped()) == .interrupted)
        #expect(RunMetrics.Result(error: CancellationError()) == .error)
    }

    @Test("the grouping key in the path: plain values as they are, others base64url")
    func groupPath() {
        #expect(
            PushgatewayPublisher.groupPath([("app", "pxbbq"), ("namespace", "stage"), ("phase", "post-taste")])
                == "/metrics/job/taster/app/pxbbq/namespace/stage/phase/post-taste")
        #expect(PushgatewayPublisher.groupPath([("app", "a/b")]) == "/metrics/job/taster/app@base64/YS9i")
        #expect(PushgatewayPublisher.groupPath([("app", "")]) == "/metrics/job/taster/app@base64/=")
    }

    @Test("settings: URL, basic auth or a bearer token, secrets masked, conflicts refused")
    func settings() throws {
        let url = "http://pushgateway.monitoring:9091/"
        var loaded = try Settings.load(from: Environment(["TASTER_PUSHGATEWAY_URL": url]))
        #expect(loaded.pushgateway == PushgatewaySettings(url: "http://pushgateway.monitoring:9091", authorization: .none))
        #expect(try Settings.load(from: Environment([:])).pushgateway == nil)
        let password = "pgPassw0rd-98Zq"
        loaded = try Settings.load(
            from: Environment(["TASTER_PUSHGATEWAY_URL": url, "TASTER_PUSHGATEWAY_USERNAME": "taster", "TASTER_PUSHGATEWAY_PASSWORD": password]))
        #expect(loaded.pushgateway?.authorization == .basic(username: "taster", password: Secret(password, origin: "TASTER_PUSHGATEWAY_PASSWORD")))
        #expect(!loaded.table.contains(password))
        #expect(loaded.table.contains("metrics.pushgateway"))
        #expect(SecretRedactor.shared.scrub("sent \(password)") == SecretRedactor.notice(["TASTER_PUSHGATEWAY_PASSWORD"]))
        let token = "pgToken-7a8b9c0d1e2f"
        loaded = try Settings.load(from: Environment(["TASTER_PUSHGATEWAY_URL": url, "TASTER_PUSHGATEWAY_TOKEN": token]))
        #expect(loaded.pushgateway?.authorization == .bearer(Secret(token, origin: "TASTER_PUSHGATEWAY_TOKEN")))
        #expect(!loaded.table.contains(token))
        for (values, variable) in [
            (["TASTER_PUSHGATEWAY_URL": "pushgateway:9091"], "TASTER_PUSHGATEWAY_URL"),
            (["TASTER_PUSHGATEWAY_URL": "http://u:p@pushgateway:9091"], "TASTER_PUSHGATEWAY_URL"),
            (["TASTER_PUSHGATEWAY_URL": url, "TASTER_PUSHGATEWAY_USERNAME": "taster"], "TASTER_PUSHGATEWAY_PASSWORD"),
            (["TASTER_PUSHGATEWAY_URL": url, "TASTER_PUSHGATEWAY_TOKEN": "t0kenValue", "TASTER_PUSHGATEWAY_PASSWORD": "x"], "TASTER_PUSHGATEWAY_TOKEN"),
        ] {
            do {
                _ = try Settings.load(from: Environment(values))
                Issue.record("\(values) was accepted")
            } catch {
                #expect(error.problems.map(\.variable) == [variable])
            }
        }
    }
}
