import FoundationEssentials
import TasterSupport

/// How `HTTPClient` verifies servers and, for a kubeconfig user with a client certificate,
/// identifies itself. Verification is on unless a caller turns it off explicitly.
package struct TLSConfiguration: Sendable, CustomStringConvertible {
    /// PEM text from a file or from memory (a kubeconfig's `*-data` fields, decoded).
    package enum PEMSource: Sendable, Equatable {
        case file(String)
        case pem(Data)
    }

    /// The CA(s) to trust instead of the system's (`AWS_CA_BUNDLE`, a kubeconfig's
    /// `certificate-authority[-data]`, the service account's `ca.crt`); nil trusts the system CAs.
    package var certificateAuthority: PEMSource?
    /// A client certificate (PEM) for mutual TLS.
    package var clientCertificate: PEMSource?
    /// The client certificate's private key (PEM). Never printed.
    package var clientKey: PEMSource?
    /// False only after `disableVerification()`: the peer's certificate and host name are
    /// checked on every connection otherwise.
    package private(set) var verifiesPeer: Bool = true

    package init(certificateAuthority: PEMSource? = nil, clientCertificate: PEMSource? = nil, clientKey: PEMSource? = nil) {
        self.certificateAuthority = certificateAuthority
        self.clientCertificate = clientCertificate
        self.clientKey = clientKey
    }

    /// Turns certificate and host-name verification off. Only for a caller that was told so
    /// explicitly (a kubeconfig's `insecure-skip-tls-verify: true`); never a default.
    package mutating func disableVerification() {
        verifiesPeer = false
    }

    package var description: String {
        func describe(_ source: PEMSource?) -> String {
            switch source {
            case nil: "none"
            case .file(let path): path
            case .pem(let data): "<\(data.count) bytes of PEM>"
            }
        }
        return "TLS(ca: \(certificateAuthority == nil ? "system" : describe(certificateAuthority)), "
            + "client certificate: \(describe(clientCertificate)), client key: \(clientKey == nil ? "none" : SecretRedactor.mask), "
            + "verify: \(verifiesPeer))"
    }
}
