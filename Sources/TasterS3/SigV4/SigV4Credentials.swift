import TasterSupport

/// The key pair (and session token, for temporary credentials) requests are signed with.
///
/// Printing, dumping or interpolating a value shows the access key ID only: the secret and the
/// token are masked, so a stray `print(credentials)` cannot leak them.
package struct SigV4Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    package var accessKeyID: String
    package var secretAccessKey: String
    package var sessionToken: String?

    package init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    package var description: String {
        "SigV4Credentials(accessKeyID: \(accessKeyID), secretAccessKey: \(SecretRedactor.mask)"
            + (sessionToken == nil ? ")" : ", sessionToken: \(SecretRedactor.mask))")
    }

    package var debugDescription: String { description }

    package var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "accessKeyID": accessKeyID, "secretAccessKey": SecretRedactor.mask,
                "sessionToken": sessionToken == nil ? "nil" : SecretRedactor.mask,
            ])
    }
}
