import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// Pushes a run's metrics to a Prometheus Pushgateway: a PUT of the text exposition to the
/// group `job="taster"`, `app`, `namespace`, `phase` (replacing what the last run of that phase
/// pushed), and, when the run passed, a PUT of `taster_last_success_timestamp_seconds` to the
/// same key plus `since="last_success"`, which a later failure's push leaves alone.
///
/// Best effort: a failure is one warning; the verdict and the exit code stand. Each push has
/// a budget of its own (`budget`, 10 s; 2 s for an interrupted run), so a Pushgateway that does
/// not answer holds up the hook's exit by seconds, not by the run's deadline.
///
/// - SeeAlso: https://github.com/prometheus/pushgateway#api
package struct PushgatewayPublisher: MetricsPublisher {
    package let settings: PushgatewaySettings
    package let logger: Logger
    package let budget: Duration

    package init(settings: PushgatewaySettings, logger: Logger, budget: Duration = .seconds(10)) {
        self.settings = settings
        self.logger = logger
        self.budget = budget
    }

    /// The budget of a push after SIGTERM or SIGINT: the hook is being stopped, and must exit
    /// within seconds.
    static let interruptedBudget: Duration = .seconds(2)

    package func publish(_ metrics: RunMetrics) async {
        let deadline = Deadline(budget: metrics.result == .interrupted ? min(budget, Self.interruptedBudget) : budget)
        let key: [(String, String)] = [("app", metrics.app), ("namespace", metrics.namespace), ("phase", metrics.phase)]
        let shown = URLDisplay.show(settings.url)
        do {
            try await push(MetricFamily.exposition(metrics.families), key: key, deadline: deadline)
            let success = metrics.lastSuccessFamilies
            if !success.isEmpty {
                try await push(MetricFamily.exposition(success), key: key + [("since", "last_success")], deadline: deadline)
            }
            logger.info("metrics pushed to \(shown) (\(metrics.phase) \(metrics.result.rawValue))")
        } catch let error as PushFailure {
            logger.warning("could not push the metrics to the Pushgateway \(shown): \(error.reason); the verdict is unaffected")
        } catch let error as HTTPError {
            logger.warning("could not push the metrics to the Pushgateway \(shown) (\(error.kind)); the verdict is unaffected")
        } catch {
            logger.warning("could not push the metrics to the Pushgateway \(shown); the verdict is unaffected")
        }
    }

    private struct PushFailure: Error {
        let reason: String
    }

    private func push(_ body: String, key: [(String, String)], deadline: Deadline) async throws {
        var headers: HTTPHeaders = ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"]
        switch settings.authorization {
        case .none: break
        case .basic(let username, let password):
            headers["Authorization"] = "Basic " + Data("\(username):\(password.revealed)".utf8).base64EncodedString()
        case .bearer(let token):
            headers["Authorization"] = "Bearer " + token.revealed
        }
        let request = HTTPRequest(method: .put, url: settings.url + Self.groupPath(key), headers: headers, body: Data(body.utf8))
        let http = HTTPClient(
            configuration: HTTPClientConfiguration(
                serviceName: "Pushgateway", connectTimeout: .seconds(3), requestTimeout: .seconds(5), maxResponseBytes: 64 * 1024),
            logger: logger)
        let retry = RetryPolicy(
            maxAttempts: 2, backoff: Backoff(base: .milliseconds(200), cap: .seconds(1)),
            retryableStatuses: [429, 500, 502, 503, 504], honoursRetryAfter: false)
        let response = try await http.execute(request, retry: retry, deadline: deadline)
        guard (200..<300).contains(response.status) else {
            throw PushFailure(reason: "it answered HTTP \(response.status)")
        }
    }

    /// `/metrics/job/taster/<label>/<value>...`: a value that is not a plain path segment
    /// (empty, or with `/` or anything to escape) is sent base64url-encoded, as `<label>@base64/<value>`.
    static func groupPath(_ key: [(String, String)]) -> String {
        var path = "/metrics/job/taster"
        for (label, value) in key {
            let plain =
                !value.isEmpty
                && value.unicodeScalars.allSatisfy {
                    $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
                }
            if plain {
                path += "/\(label)/\(value)"
            } else {
                let encoded = String(Data(value.utf8).base64EncodedString().map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
                path += "/\(label)@base64/\(encoded.isEmpty ? "=" : encoded)"
            }
        }
        return path
    }
}
