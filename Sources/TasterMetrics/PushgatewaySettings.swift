import TasterSupport

/// `TASTER_PUSHGATEWAY_URL`: where each hook pushes its run's metrics; with optional basic auth
/// (`TASTER_PUSHGATEWAY_USERNAME` + `TASTER_PUSHGATEWAY_PASSWORD`) or a bearer token
/// (`TASTER_PUSHGATEWAY_TOKEN`), from a Secret and masked like every secret.
package struct PushgatewaySettings: Sendable, Equatable {
    package enum Authorization: Sendable, Equatable {
        case none
        case basic(username: String, password: Secret)
        case bearer(Secret)
    }

    /// The Pushgateway's base URL (`http://pushgateway.monitoring:9091`), without a trailing slash.
    package var url: String
    package var authorization: Authorization
}

extension PushgatewaySettings {
    package static func read(_ reader: inout SettingsReader) -> PushgatewaySettings? {
        let username = reader.string("TASTER_PUSHGATEWAY_USERNAME")
        let password = reader.secret(["TASTER_PUSHGATEWAY_PASSWORD"]).map { Secret.registered($0.value, origin: $0.name) }
        let token = reader.secret(["TASTER_PUSHGATEWAY_TOKEN"]).map { Secret.registered($0.value.trimmingSpaces(), origin: $0.name) }
        guard var url = reader.string("TASTER_PUSHGATEWAY_URL") else { return nil }
        while url.hasSuffix("/") { url.removeLast() }
        let example = "TASTER_PUSHGATEWAY_URL=http://pushgateway.monitoring.svc:9091"
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            reader.fail("TASTER_PUSHGATEWAY_URL", "must be an http(s) URL", example: example)
            return nil
        }
        guard !url.dropFirst(url.hasPrefix("https://") ? 8 : 7).contains("@") else {
            reader.fail(
                "TASTER_PUSHGATEWAY_URL", "must not carry credentials: set TASTER_PUSHGATEWAY_USERNAME and TASTER_PUSHGATEWAY_PASSWORD",
                example: example)
            return nil
        }
        let authorization: Authorization
        switch (username, password, token) {
        case (nil, nil, nil): authorization = .none
        case (let username?, let password?, nil): authorization = .basic(username: username, password: password)
        case (nil, nil, let token?): authorization = .bearer(token)
        case (_, _, .some):
            reader.fail(
                "TASTER_PUSHGATEWAY_TOKEN", "is set with TASTER_PUSHGATEWAY_USERNAME/PASSWORD: give a bearer token or basic auth, not both",
                example: "TASTER_PUSHGATEWAY_TOKEN=<token>")
            return nil
        default:
            reader.fail(
                username == nil ? "TASTER_PUSHGATEWAY_USERNAME" : "TASTER_PUSHGATEWAY_PASSWORD",
                "is not set: basic auth needs both TASTER_PUSHGATEWAY_USERNAME and TASTER_PUSHGATEWAY_PASSWORD",
                example: "TASTER_PUSHGATEWAY_USERNAME=taster")
            return nil
        }
        return PushgatewaySettings(url: url, authorization: authorization)
    }

    /// For `check --show-settings`: the URL as shown everywhere, and how it authenticates.
    package var authorizationShown: String {
        switch authorization {
        case .none: "none"
        case .basic(let username, _): "basic (user \(username), password \(SecretRedactor.mask))"
        case .bearer: "bearer token \(SecretRedactor.mask)"
        }
    }
}
