import TasterCore
import TasterSupport

/// An optional notification about the verdict: `TASTER_NOTIFY_URL` receives a JSON POST.
/// The URL is treated as a secret (a Slack webhook URL carries its token in the path).
package struct NotificationSettings: Sendable, Equatable {
    package typealias Format = NotificationPayload.Format

    package enum On: String, Sendable, CaseIterable {
        case failure
        case always
    }

    /// A secret as a whole: shown only as `URLDisplay.origin`.
    package var url: Secret
    package var format: Format
    package var on: On
}

extension NotificationSettings {
    package static func read(_ reader: inout SettingsReader) -> NotificationSettings? {
        let format = reader.choice("TASTER_NOTIFY_FORMAT", default: Format.json)
        let on = reader.choice("TASTER_NOTIFY_ON", default: On.failure)
        guard let url = reader.secret(["TASTER_NOTIFY_URL"])?.value.trimmingSpaces(), !url.isEmpty else { return nil }
        let secret = Secret(url, origin: "TASTER_NOTIFY_URL")
        registerParts(of: url)
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            reader.fail(
                "TASTER_NOTIFY_URL", "must be an http(s) URL (value not shown: it may hold a token)",
                example: "TASTER_NOTIFY_URL=https://hooks.slack.com/services/T000/B000/XXXX")
            return nil
        }
        return NotificationSettings(url: secret, format: format, on: on)
    }

    /// The URL whole (only as a whole: its pieces of scheme and host are everywhere), and, with
    /// their pieces, the parts that carry a chat webhook's token: user info, every query value
    /// and each path segment that looks like a token (8 characters or more with a digit, or 16
    /// or more: `services`, `v1` and `messages` are not secrets, `T0123ABCD` and GUIDs are).
    /// A retry warning that shows the URL partly masked still has its token found.
    /// A URL that is only an origin (`http://receiver:8080/`) carries no token: it is not
    /// registered, so the warnings that name the receiver's origin stay readable.
    static func registerParts(of url: String) {
        let origin = "TASTER_NOTIFY_URL"
        var rest = Substring(url)
        if let schemeEnd = rest.firstRange(of: "://") { rest = rest[schemeEnd.upperBound...] }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        let userInfoEnd = authority.lastIndex(of: "@")
        rest = rest[authorityEnd...]
        guard userInfoEnd != nil || !(rest.isEmpty || rest == "/") else { return }
        SecretRedactor.shared.register(url, origin: origin, fragments: false)
        if let at = userInfoEnd {
            SecretRedactor.shared.register(String(authority[..<at]), origin: origin)
        }
        let queryStart = rest.firstIndex { $0 == "?" || $0 == "#" } ?? rest.endIndex
        for segment in rest[..<queryStart].split(separator: "/") where segment.count >= 16 || (segment.count >= 8 && segment.contains(where: \.isNumber)) {
            SecretRedactor.shared.register(String(segment), origin: origin)
            SecretRedactor.shared.register(PercentEncoding.decode(String(segment)), origin: origin)
        }
        for parameter in rest[queryStart...].dropFirst().split(whereSeparator: { $0 == "&" || $0 == "#" }) {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            SecretRedactor.shared.register(String(pair[1]), origin: origin)
            SecretRedactor.shared.register(PercentEncoding.decode(String(pair[1])), origin: origin)
        }
    }
}
