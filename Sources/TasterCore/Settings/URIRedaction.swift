/// Masks what must never be printed from a connection string: the password in its user info and
/// options that carry secrets. Errs on the side of masking too much: a password with an unescaped
/// `/` or `@` is still masked up to the last `@`.
public enum URIRedaction {
    static let sensitiveOptions = ["tlscertificatekeyfilepassword", "authmechanismproperties", "sslpemkeypassword"]

    public static func redact(_ uri: String) -> String {
        guard let schemeEnd = uri.firstRange(of: "://") else { return uri }
        let scheme = uri[..<schemeEnd.upperBound]
        var rest = String(uri[schemeEnd.upperBound...])
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            let user = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let masked = userInfo.contains(":") ? "\(user):\(SecretRedactor.mask)" : String(user)
            rest = masked + rest[at...]
        }
        if let question = rest.firstIndex(of: "?") {
            let base = rest[...question]
            let options = rest[rest.index(after: question)...].split(separator: "&", omittingEmptySubsequences: false).map { option -> String in
                let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                if pair.count == 2, sensitiveOptions.contains(pair[0].lowercased()) {
                    return "\(pair[0])=\(SecretRedactor.mask)"
                }
                return String(option)
            }
            rest = base + options.joined(separator: "&")
        }
        return scheme + rest
    }

    /// The password in the user info, as written (still percent-encoded), if any.
    public static func password(of uri: String) -> String? {
        guard let schemeEnd = uri.firstRange(of: "://") else { return nil }
        let rest = uri[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return nil }
        let userInfo = rest[..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return nil }
        return String(userInfo[userInfo.index(after: colon)...])
    }

    /// The host list (`host1:port,host2`) of a connection string, without user info.
    public static func host(of uri: String) -> String? {
        guard let schemeEnd = uri.firstRange(of: "://") else { return nil }
        var rest = uri[schemeEnd.upperBound...]
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        return String(rest[..<end])
    }

    /// `https://hooks.slack.com/services/****`: keeps scheme and host, masks the path and query,
    /// which carry the token of a webhook URL.
    public static func redactPath(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://") else { return SecretRedactor.mask }
        let rest = url[schemeEnd.upperBound...]
        let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var host = String(rest[..<hostEnd])
        if let at = host.lastIndex(of: "@") { host = String(host[host.index(after: at)...]) }
        return url[..<schemeEnd.upperBound] + host + (hostEnd == rest.endIndex ? "" : "/" + SecretRedactor.mask)
    }
}
