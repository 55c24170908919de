import TasterSupport

/// A MongoDB connection string taken apart without libmongoc, to check its user info before
/// anything is touched and to show it by an allow-list: scheme, hosts, ports, the database in its
/// path and the options known to be safe — never the user info, never an option that may carry a
/// secret (`tlsCertificateKeyFilePassword`, its older name `sslClientCertificateKeyPassword`,
/// `authMechanismProperties`, or any option taster does not know).
///
/// - SeeAlso: https://www.mongodb.com/docs/manual/reference/connection-string/
package struct ConnectionString: Sendable, Equatable {
    package var scheme: String
    /// As written (still percent-escaped); nil when the string has none.
    package var userInfo: String?
    /// The host list as written: `db1:27017,db2:27017`.
    package var hosts: String
    /// Whether a `/` follows the hosts.
    package var slash: Bool
    /// The database in the path (the default auth database), if any.
    package var path: String?
    /// The options as written, in order.
    package var options: [(name: String, value: String)]

    package static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.scheme == rhs.scheme && lhs.userInfo == rhs.userInfo && lhs.hosts == rhs.hosts && lhs.slash == rhs.slash && lhs.path == rhs.path
            && lhs.options.map(\.name) == rhs.options.map(\.name) && lhs.options.map(\.value) == rhs.options.map(\.value)
    }

    /// Options shown with their values (compared lower-cased): none of them can carry a secret.
    static let safeOptions: Set<String> = [
        "appname", "authmechanism", "authsource", "compressors", "connecttimeoutms", "directconnection",
        "heartbeatfrequencyms", "journal", "loadbalanced", "localthresholdms", "maxconnecting", "maxidletimems",
        "maxpoolsize", "maxstalenessseconds", "minpoolsize", "readconcernlevel", "readpreference", "readpreferencetags",
        "replicaset", "retryreads", "retrywrites", "serverselectiontimeoutms", "serverselectiontryonce",
        "sockettimeoutms", "srvmaxhosts", "srvservicename", "ssl", "tls", "tlsallowinvalidcertificates",
        "tlsallowinvalidhostnames", "tlscafile", "tlscertificatekeyfile", "tlsdisablecertificaterevocationcheck",
        "tlsdisableocspendpointcheck", "tlsinsecure", "sslcertificateauthorityfile", "sslclientcertificatekeyfile",
        "sslallowinvalidcertificates", "sslallowinvalidhostnames", "w", "waitqueuetimeoutms", "wtimeoutms",
        "zlibcompressionlevel", "gssapiservicename", "timeoutms", "servermonitoringmode", "uuidrepresentation",
        "tlscrlfile", "proxyhost", "proxyport", "proxyusername", "maxidletimems",
    ]

    /// Options known to carry a secret: shown by name, their value masked. Any other option that
    /// is not safe is not even named (it may be a password pasted in the wrong place).
    static let secretOptions: Set<String> = [
        "tlscertificatekeyfilepassword", "sslclientcertificatekeypassword", "sslpemkeypassword", "authmechanismproperties",
        "proxypassword",
    ]

    /// Takes `text` apart; nil when it has no `scheme://`.
    ///
    /// The user info runs to the last `@` that is not inside an option's value, so a password
    /// with an unescaped `@`, `/` or `?` still lands in the user info (where `userInfoProblem`
    /// finds it) instead of in the host list.
    package init?(_ text: String) {
        guard let schemeEnd = text.firstRange(of: "://") else { return nil }
        scheme = String(text[..<schemeEnd.lowerBound])
        let rest = text[schemeEnd.upperBound...]
        var end = rest.endIndex
        var at: Substring.Index?
        while let candidate = rest[..<end].lastIndex(of: "@") {
            // An `@` after `?name=` belongs to an option's value (a file path, an appname).
            if let question = rest[..<candidate].lastIndex(of: "?"), rest[question..<candidate].contains("=") {
                end = question
                continue
            }
            at = candidate
            break
        }
        var authority = rest
        if let at {
            userInfo = String(rest[..<at])
            authority = rest[rest.index(after: at)...]
        } else {
            userInfo = nil
        }
        let hostEnd = authority.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? authority.endIndex
        hosts = String(authority[..<hostEnd])
        var tail = authority[hostEnd...]
        slash = tail.first == "/"
        if slash {
            tail = tail.dropFirst()
            let pathEnd = tail.firstIndex(of: "?") ?? tail.endIndex
            path = tail[..<pathEnd].isEmpty ? nil : String(tail[..<pathEnd])
            tail = tail[pathEnd...]
        } else {
            path = nil
        }
        options = tail.dropFirst().split(separator: "&").map { option in
            let pair = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(pair[0]), pair.count == 2 ? String(pair[1]) : "")
        }
    }

    /// The user name and the password as written (still percent-escaped).
    package var credentials: (user: String, password: String?)? {
        guard let userInfo else { return nil }
        guard let colon = userInfo.firstIndex(of: ":") else { return (userInfo, nil) }
        return (String(userInfo[..<colon]), String(userInfo[userInfo.index(after: colon)...]))
    }

    /// What is wrong with the user info, in words that show no part of it; nil when it is
    /// properly percent-escaped.
    package var userInfoProblem: String? {
        guard let credentials else { return nil }
        for part in [credentials.user, credentials.password].compactMap({ $0 }) {
            var bytes = part.utf8.makeIterator()
            while let byte = bytes.next() {
                switch byte {
                case UInt8(ascii: "%"):
                    guard let high = bytes.next(), let low = bytes.next(), Self.isHex(high), Self.isHex(low) else {
                        return "has a % in its user name or password that does not start an escape like %40"
                    }
                case UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "#"),
                    UInt8(ascii: "["), UInt8(ascii: "]"):
                    return "has a character in its user name or password that must be percent-escaped"
                case 0...0x20, 0x7F:
                    return "has a space or control character in its user name or password that must be percent-escaped"
                default:
                    continue
                }
            }
        }
        return nil
    }

    /// How to escape user info, for the settings error.
    package static let escapingAdvice =
        "percent-escape the user name and password: @ as %40, : as %3A, / as %2F, ? as %3F, "
        + "# as %23, [ as %5B, ] as %5D, % as %25, a space as %20 (or set MONGO_NODE, MONGO_USER and MONGO_PASS "
        + "instead of MONGODB_URI: taster escapes those for you)"

    /// The values of every option that is not known to be safe: secrets until proved otherwise.
    package var unsafeOptionValues: [String] {
        options.filter { !Self.safeOptions.contains($0.name.lowercased()) }.map(\.value)
    }

    /// `mongodb://****@db1:27017,db2:27017/admin?tls=true&tlsCertificateKeyFilePassword=****`:
    /// what may be shown, by allow-list.
    package var display: String {
        var shown = scheme + "://" + (userInfo == nil ? "" : SecretRedactor.mask + "@") + hosts
        if slash { shown += "/" + (path ?? "") }
        if !options.isEmpty {
            if !slash { shown += "/" }
            shown +=
                "?"
                + options.map { option -> String in
                    let name = option.name.lowercased()
                    if Self.safeOptions.contains(name) { return option.value.isEmpty ? option.name : "\(option.name)=\(option.value)" }
                    if Self.secretOptions.contains(name) { return "\(option.name)=\(SecretRedactor.mask)" }
                    return SecretRedactor.mask
                }.joined(separator: "&")
        }
        return shown
    }

    private static func isHex(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"): true
        default: false
        }
    }
}
