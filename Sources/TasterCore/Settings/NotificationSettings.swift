/// An optional notification about the verdict: `TASTER_NOTIFY_URL` receives a JSON POST.
/// The URL is treated as a secret (a Slack webhook URL carries its token in the path).
public struct NotificationSettings: Sendable, Equatable {
    public enum Format: String, Sendable, CaseIterable {
        /// `{"summary": ..., "app": ..., "runId": ..., "failedChecks": [...], "reports": {...}}`.
        case json
        /// Slack-compatible: `{"text": "..."}`.
        case slack
    }

    public enum On: String, Sendable, CaseIterable {
        case failure
        case always
    }

    public var url: String
    public var format: Format
    public var on: On
}

extension NotificationSettings {
    static func read(_ reader: inout SettingsReader) -> NotificationSettings? {
        let format = reader.choice("TASTER_NOTIFY_FORMAT", default: Format.json)
        let on = reader.choice("TASTER_NOTIFY_ON", default: On.failure)
        guard let url = reader.secret(["TASTER_NOTIFY_URL"])?.value.trimmingSpaces(), !url.isEmpty else { return nil }
        SecretRedactor.shared.register(url)
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            reader.fail("TASTER_NOTIFY_URL", "must be an http(s) URL (value not shown: it may hold a token)",
                        example: "TASTER_NOTIFY_URL=https://hooks.slack.com/services/T000/B000/XXXX")
            return nil
        }
        return NotificationSettings(url: url, format: format, on: on)
    }
}
