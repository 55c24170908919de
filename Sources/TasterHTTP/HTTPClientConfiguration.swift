import TasterSupport

/// Everything an `HTTPClient` applies to every request it sends.
package struct HTTPClientConfiguration: Sendable {
    /// Names the service in messages: "S3", "Kubernetes API".
    package var serviceName: String
    /// What a person should do when the server's certificate is not trusted, e.g. "set
    /// AWS_CA_BUNDLE to the CA that signed the endpoint's certificate".
    package var tlsVerificationAdvice: String
    package var tls: TLSConfiguration
    /// Longest wait for a TCP (and TLS) connection.
    package var connectTimeout: Duration
    /// Longest one buffered request may take, start to end, unless the request says otherwise.
    package var requestTimeout: Duration
    /// Largest buffered response body accepted, unless the request says otherwise.
    package var maxResponseBytes: Int
    /// `CURLOPT_RESOLVE` entries, `HOST:PORT:ADDRESS`: pins a name to an address without DNS.
    package var resolve: [String]
    package var userAgent: String

    package init(
        serviceName: String,
        tlsVerificationAdvice: String = "pass the CA that signed the server's certificate",
        tls: TLSConfiguration = TLSConfiguration(),
        connectTimeout: Duration = .seconds(10),
        requestTimeout: Duration = .seconds(60),
        maxResponseBytes: Int = 16 << 20,
        resolve: [String] = [],
        userAgent: String = "taster/\(TasterVersion.current)"
    ) {
        self.serviceName = serviceName
        self.tlsVerificationAdvice = tlsVerificationAdvice
        self.tls = tls
        self.connectTimeout = connectTimeout
        self.requestTimeout = requestTimeout
        self.maxResponseBytes = maxResponseBytes
        self.resolve = resolve
        self.userAgent = userAgent
    }
}
