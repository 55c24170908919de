/// The key pair (and session token, for temporary credentials) requests are signed with.
///
/// Printing, dumping or interpolating a value shows the access key ID only: the secret and the
/// token are masked, so a stray `print(credentials)` cannot leak them.
public struct SigV4Credentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    public var description: String {
        "SigV4Credentials(accessKeyID: \(accessKeyID), secretAccessKey: \(SecretRedactor.mask)"
            + (sessionToken == nil ? ")" : ", sessionToken: \(SecretRedactor.mask))")
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["accessKeyID": accessKeyID, "secretAccessKey": SecretRedactor.mask,
                                "sessionToken": sessionToken == nil ? "nil" : SecretRedactor.mask])
    }
}
