import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// Posts the verdict (or the error) to `TASTER_NOTIFY_URL` as JSON or a Slack message, on a
/// failure or always (`TASTER_NOTIFY_ON`). Best effort, with a budget of its own; the URL is a
/// secret and is only ever shown as its origin.
package struct WebhookAnnouncer: Announcer {
    package let settings: NotificationSettings
    /// The app the notification is about (for an error, which has no verdict to name it).
    package let app: String
    package let logger: Logger

    package init(settings: NotificationSettings, app: String, logger: Logger) {
        self.settings = settings
        self.app = app
        self.logger = logger
    }

    static let budget: Duration = .seconds(15)

    package func announce(_ announcement: Announcement) async {
        guard !announcement.passed || settings.on == .always else { return }
        let shown = URLDisplay.origin(settings.url.revealed)
        let body: Data
        do {
            switch announcement {
            case .verdict(let verdict, let uris): body = try NotificationPayload.body(for: verdict, format: settings.format, reportURIs: uris)
            case .error(let summary, let runID): body = try NotificationPayload.body(forError: summary, app: app, runID: runID, format: settings.format)
            }
        } catch {
            logger.warning("the notification could not be built: \(error)")
            return
        }
        let http = HTTPClient(
            configuration: HTTPClientConfiguration(
                serviceName: "notification", connectTimeout: .seconds(5),
                requestTimeout: .seconds(10), maxResponseBytes: 64 * 1024),
            logger: logger)
        let retry = RetryPolicy(
            maxAttempts: 3, backoff: Backoff(base: .milliseconds(300), cap: .seconds(2)),
            retryableStatuses: [429, 500, 502, 503, 504], honoursRetryAfter: true)
        do {
            var request = HTTPRequest(method: .post, url: settings.url.revealed, headers: ["Content-Type": "application/json"], body: body)
            request.urlIsSecret = true
            let response = try await http.execute(request, retry: retry, deadline: Deadline(budget: Self.budget))
            if (200..<300).contains(response.status) {
                logger.info("notification sent to \(shown)")
            } else {
                logger.warning("the notification receiver \(shown) answered HTTP \(response.status); the verdict is unaffected")
            }
        } catch let error as HTTPError {
            // Built from the masked URL: the receiver's URL may carry a token in its path.
            logger.warning("could not send the notification to \(shown) (\(error.kind)); the verdict is unaffected")
        } catch {
            logger.warning("could not send the notification to \(shown); the verdict is unaffected")
        }
    }
}
