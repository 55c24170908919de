import Crypto

@testable import TasterS3

extension SigV4Signer {
    /// SHA-256 of an empty body, as the published test vectors sign it.
    static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
}

extension SymmetricKey {
    /// The key's bytes in hex, to compare the derived signing key with published values.
    var hexString: String {
        withUnsafeBytes { SigV4Signer.hex($0) }
    }
}
