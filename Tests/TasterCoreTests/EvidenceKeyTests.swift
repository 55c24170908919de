import Crypto
import Foundation
import Testing

@testable import TasterCore
@testable import TasterSupport

/// The keyed field digests of document indexes: the same value under two keys differs, the key
/// is never shown, a password is stretched by PBKDF2 as RFC 7914 computes it.
@Suite("Evidence key")
struct EvidenceKeyTests {
    static let first = EvidenceKey(secret: Secret("first-evidence-key-0123456789", origin: "TASTER_EVIDENCE_KEY"))
    static let second = EvidenceKey(secret: Secret("second-evidence-key-987654321", origin: "TASTER_EVIDENCE_KEY"))

    @Test("the same value under two keys gives two digests; under one key, always the same")
    func keyed() {
        let value: [UInt8] = [0x10, 0x00, 5, 0, 0, 0] // int32 5 under an empty key
        #expect(Self.first.digester.digest(value) != Self.second.digester.digest(value))
        #expect(Self.first.digester.digest(value) == Self.first.digester.digest(value))
        #expect(Self.first.digester.digest(value).count == DocumentIndexFormat.digestBytes)
        let again = EvidenceKey(secret: Secret("first-evidence-key-0123456789", origin: "elsewhere"))
        #expect(again.id == Self.first.id && again.id != Self.second.id && again.id.count == 16)
    }

    @Test("a keyed digest is not the unkeyed SHA-256 a bucket reader could compute for every value")
    func notUnkeyed() {
        var matches = 0
        for n in Int32(0)..<1000 {
            let element: [UInt8] = [0x10, 0x00] + withUnsafeBytes(of: n.littleEndian, Array.init)
            if Array(SHA256.hash(data: element).prefix(4)) == Self.first.digester.digest(element) { matches += 1 }
        }
        #expect(matches == 0)
    }

    @Test("the key never shows: description, dump and mirror give its id and origin only")
    func neverShown() {
        let secret = "never-print-this-evidence-key"
        let key = EvidenceKey(secret: Secret(secret, origin: "TASTER_EVIDENCE_KEY"))
        var dumped = ""
        dump(key, to: &dumped)
        for text in [key.description, "\(key)", String(reflecting: key), dumped] {
            #expect(!text.contains(secret) && text.contains(key.id))
        }
    }

    @Test("PBKDF2-HMAC-SHA-256 as RFC 7914 section 11 computes it")
    func pbkdf2() {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        #expect(
            hex(EvidenceKey.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), rounds: 1))
                == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
        #expect(
            hex(EvidenceKey.pbkdf2(password: Array("Password".utf8), salt: Array("NaCl".utf8), rounds: 80000))
                == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56")
        let password = EvidenceKey(password: Secret("pw-of-the-database", origin: "MONGO_PASS"), rounds: 10)
        let direct = EvidenceKey(secret: Secret("pw-of-the-database", origin: "TASTER_EVIDENCE_KEY"))
        #expect(password.id != direct.id)
    }
}
