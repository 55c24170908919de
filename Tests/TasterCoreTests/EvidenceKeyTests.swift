import Crypto
import Foundation
import Testing

@testable import TasterCore
@testable import TasterSupport

/// The keyed field digests of document indexes: the same value under two keys differs, the key
/// is never shown, a password is stretched by PBKDF2 as RFC 7914 computes it, with a salt of each
/// baseline that a damaged record cannot turn into a crash or unbounded CPU.
@Suite("Evidence key")
struct EvidenceKeyTests {
    static let first = EvidenceKey(secret: Secret("first-evidence-key-0123456789", origin: "TASTER_EVIDENCE_KEY"))
    static let second = EvidenceKey(secret: Secret("second-evidence-key-987654321", origin: "TASTER_EVIDENCE_KEY"))
    /// The key id of "pw-of-the-database" as taster derived it before schemaVersion 3 (computed
    /// apart, with Python's hashlib: PBKDF2, HKDF, HMAC).
    static let legacyID = "87b2b4d5d50f2109"

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
    func pbkdf2() throws {
        let hex = { (bytes: [UInt8]) in bytes.map { String(format: "%02x", $0) }.joined() }
        let one = try EvidenceKey.pbkdf2(password: Array("passwd".utf8), salt: Array("salt".utf8), rounds: 1)
        #expect(hex(one) == "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc")
        let many = try EvidenceKey.pbkdf2(password: Array("Password".utf8), salt: Array("NaCl".utf8), rounds: 80000)
        #expect(hex(many) == "4ddcd8f60b98be21830cee5ef22701f9641a4418d04c0414aeff08876b34ab56")
        let password = try EvidenceKey(
            password: Secret("pw-of-the-database", origin: "MONGO_PASS"), stretching: .init(salt: Array(repeating: 7, count: 16), rounds: 10))
        let direct = EvidenceKey(secret: Secret("pw-of-the-database", origin: "TASTER_EVIDENCE_KEY"))
        #expect(password.id != direct.id)
    }

    @Test("a password's key: a new 16-byte salt per baseline, 600,000 rounds, recorded; the same salt and rounds give the same key")
    func saltRecorded() throws {
        let password = Secret("pw-of-the-database", origin: "MONGO_PASS")
        let first = EvidenceKey.Stretching.fresh()
        let second = EvidenceKey.Stretching.fresh()
        #expect(first.salt.count == 16 && first.rounds == 600_000 && first.salt != second.salt)
        let quick = EvidenceKey.Stretching(salt: first.salt, rounds: 10_000)
        let key = try EvidenceKey(password: password, stretching: quick)
        let record = key.record
        #expect(record.id == key.id && record.rounds == 10_000 && record.salt?.count == 32)
        let again = try #require(try record.stretching())
        #expect(again == quick)
        let rederived = try EvidenceKey(password: password, stretching: again)
        #expect(rederived.id == key.id)
        let otherSalt = try EvidenceKey(password: password, stretching: .init(salt: second.salt, rounds: 10_000))
        #expect(otherSalt.id != key.id)
        let direct = EvidenceKey(secret: Secret("an-evidence-key-of-the-secret", origin: "TASTER_EVIDENCE_KEY")).record
        let none = try direct.stretching()
        #expect(direct.salt == nil && direct.rounds == nil && none == nil)
    }

    @Test("a damaged evidenceKey record is refused before anything is derived: rounds out of bounds, a salt not 16 bytes of hex")
    func damagedRecord() throws {
        let salt = String(repeating: "ab", count: 16)
        func damage(_ json: String) -> String? {
            guard let record = try? JSONDecoder().decode(EvidenceKeyRecord.self, from: Data(json.utf8)) else { return "undecodable" }
            do {
                _ = try record.stretching()
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(damage(#"{"id":"0011223344556677","salt":"\#(salt)","rounds":600000}"#) == nil)
        #expect(damage(#"{"id":"0011223344556677","salt":"\#(salt)","rounds":10000}"#) == nil)
        #expect(damage(#"{"id":"0011223344556677","salt":"\#(salt)","rounds":10000000}"#) == nil)
        for (json, reason) in [
            (#"{"id":"0011223344556677","salt":"\#(salt)","rounds":9999}"#, "rounds 9999 is outside 10000–10000000"),
            (#"{"id":"0011223344556677","salt":"\#(salt)","rounds":10000001}"#, "rounds 10000001 is outside"),
            (#"{"id":"0011223344556677","salt":"\#(salt)","rounds":-1}"#, "rounds -1 is outside"),
            (#"{"id":"0011223344556677","salt":"\#(salt)","rounds":1e300}"#, "rounds is not a whole number"),
            (#"{"id":"0011223344556677","salt":"\#(salt)","rounds":"600000"}"#, "rounds is not a whole number"),
            (#"{"id":"0011223344556677","salt":"abab","rounds":600000}"#, "salt is not 16 bytes of hex"),
            (#"{"id":"0011223344556677","salt":"\#(salt)00","rounds":600000}"#, "salt is not 16 bytes of hex"),
            (#"{"id":"0011223344556677","salt":"zz\#(salt.dropFirst(2))","rounds":600000}"#, "salt is not 16 bytes of hex"),
            (#"{"id":"0011223344556677","salt":"\#(salt)"}"#, "a salt but no rounds"),
            (#"{"id":"0011223344556677","rounds":600000}"#, "rounds but no salt"),
            (#"{"salt":"\#(salt)","rounds":600000}"#, "no id"),
            (#""a string""#, "not an object"),
        ] {
            let found = damage(json)
            #expect(found?.contains(reason) == true && found?.contains("judged by its value") == true, "\(json): \(found ?? "accepted")")
        }
    }

    @Test("a baseline before schemaVersion 3 is derived as then: the one salt, 100,000 rounds")
    func legacyBaseline() throws {
        #expect(EvidenceKey.Stretching.legacy.rounds == 100_000)
        #expect(EvidenceKey.Stretching.legacy.salt == Array("taster/evidence-key/v2".utf8))
        // The key of a schemaVersion 2 baseline made with this password (pinned: a change here
        // would stop every old baseline from naming documents).
        let key = try EvidenceKey(password: Secret("pw-of-the-database", origin: "MONGO_PASS"), stretching: .legacy)
        #expect(key.id == EvidenceKeyTests.legacyID)
    }
}
