/// An S3-compatible endpoint: scheme, host and optional port. Accepts `https://host`,
/// `http://host:port`, `host:port` and `[::1]:9000`; a path other than `/` is refused.
package struct S3Endpoint: Sendable, Equatable, CustomStringConvertible {
    package var scheme: String
    package var host: String
    package var port: Int?

    package init(scheme: String, host: String, port: Int?) {
        self.scheme = scheme
        self.host = host
        self.port = port
    }

    /// `scheme://host[:port]` as configured, IPv6 hosts bracketed.
    package var description: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        return port.map { "\(scheme)://\(bracketed):\($0)" } ?? "\(scheme)://\(bracketed)"
    }

    /// The `Host` header value: the port only when it is not the scheme's default.
    package var hostAndPort: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        guard let port, port != (scheme == "https" ? 443 : 80) else { return bracketed }
        return "\(bracketed):\(port)"
    }

    /// Parses `text`; a scheme-less value uses `defaultScheme`. Returns a reason on failure.
    package static func parse(_ text: String, defaultScheme: String) -> Result<S3Endpoint, EndpointParseError> {
        var rest = Substring(text)
        var scheme = defaultScheme
        if let range = rest.firstRange(of: "://") {
            scheme = rest[..<range.lowerBound].lowercased()
            rest = rest[range.upperBound...]
            guard scheme == "http" || scheme == "https" else { return .failure(.init(reason: "the scheme must be http or https")) }
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        if rest.contains("/") || rest.contains("?") || rest.contains("#") {
            return .failure(.init(reason: "must be a scheme, host and port only, without a path"))
        }
        if rest.contains("@") { return .failure(.init(reason: "must not contain user info; use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")) }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return .failure(.init(reason: "has an unclosed [ in an IPv6 address")) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") {
                portText = after.dropFirst()
            } else if !after.isEmpty {
                return .failure(.init(reason: "has text after the IPv6 address"))
            }
        } else {
            let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count <= 2 else { return .failure(.init(reason: "has more than one ':' (bracket IPv6 addresses: [::1]:9000)")) }
            host = parts[0]
            if parts.count == 2 { portText = parts[1] }
        }
        guard !host.isEmpty else { return .failure(.init(reason: "has no host")) }
        var port: Int?
        if let portText {
            guard let value = Int(portText), (1...65535).contains(value) else {
                return .failure(.init(reason: "has a port that is not a number from 1 to 65535"))
            }
            port = value
        }
        return .success(S3Endpoint(scheme: scheme, host: String(host), port: port))
    }

    /// AWS's own regional endpoint, used when no endpoint is configured.
    package static func aws(region: String) -> S3Endpoint {
        S3Endpoint(scheme: "https", host: "s3.\(region).amazonaws.com", port: nil)
    }
}

package struct EndpointParseError: Error, Sendable {
    package let reason: String
}
