import Crypto
import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo

/// The fingerprint: order-independent, sensitive to one changed field, blind to other fields,
/// and exactly the encoding README documents (checked against Python in SnapshotterTests).
@Suite("Fingerprint")
struct FingerprintTests {
    func digest(_ text: String) -> SHA256.Digest { SHA256.hash(data: Data(text.utf8)) }

    @Test("the sum is modulo 2^256, carries across words, and does not depend on order")
    func arithmetic() {
        var forward = Fingerprint()
        var backward = Fingerprint()
        let digests = (0..<50).map { digest("document \($0)") }
        for item in digests { forward.add(item) }
        for item in digests.reversed() { backward.add(item) }
        #expect(forward.hex == backward.hex)
        #expect(forward.documents == 50)
        #expect(forward.hex.count == 64)

        // Check the carry against arbitrary-precision arithmetic done by hand on the hex digits.
        var expected = [UInt8](repeating: 0, count: 32)
        for item in digests {
            var carry = 0
            let bytes = Array(item)
            for index in (0..<32).reversed() {
                let total = Int(expected[index]) + Int(bytes[index]) + carry
                expected[index] = UInt8(total & 0xFF)
                carry = total >> 8
            }
        }
        #expect(forward.hex == expected.map { String(format: "%02x", $0) }.joined())
    }

    @Test("identical documents do not cancel out (a sum, not XOR)")
    func duplicatesCount() {
        var once = Fingerprint()
        once.add(digest("same"))
        var twice = once
        twice.add(digest("same"))
        #expect(twice.hex != once.hex)
        #expect(twice.hex != String(repeating: "0", count: 64))
    }

    @Test("top-level names: _id first, then each field's first segment once, in order")
    func topLevelNames() {
        #expect(Fingerprint.topLevelNames(of: ["status", "customer.id", "total", "customer.name"]) == ["_id", "status", "customer", "total"])
    }

    @Test("against SecantusDB: one changed field changes it; order and other fields do not")
    func sensitivity() async throws {
        let forward = TestStack.uniqueName("fp-forward")
        let backward = TestStack.uniqueName("fp-backward")
        try await PyMongo.run(
            """
            docs = [{"_id": i, "status": "paid" if i % 2 else "open", "total": Decimal128("%d.25" % i),
                     "customer": {"id": i % 5, "note": "n%d" % i}, "unrelated": i} for i in range(200)]
            db["\(forward)"].insert_many(docs)
            db["\(backward)"].insert_many(list(reversed(docs)))
            """)
        func fingerprints() async throws -> (String?, String?, Int64?) {
            let snapshot = try await SnapshotFixture(
                collections: [],
                checks: """
                    checks:
                      - {name: forward, kind: fingerprint, collection: \(forward), fields: [status, total, customer.id]}
                      - {name: backward, kind: fingerprint, collection: \(backward), fields: [status, total, customer.id]}
                    """
            ).snapshot()
            let first = try snapshot.check("forward")
            return (first.value?.digestText, try snapshot.check("backward").value?.digestText, first.documents)
        }
        let (before, reordered, documents) = try await fingerprints()
        #expect(before != nil)
        #expect(before == reordered, "insertion order must not matter")
        #expect(documents == 200)

        try await PyMongo.run(
            """
            db["\(forward)"].update_one({"_id": 17}, {"$set": {"unrelated": -1, "customer.note": "changed"}})
            """)
        let (unrelatedChanged, _, _) = try await fingerprints()
        #expect(unrelatedChanged == before, "fields outside the fingerprint must not matter")

        try await PyMongo.run(
            """
            db["\(forward)"].update_one({"_id": 17}, {"$set": {"customer.id": 99}})
            """)
        let (nestedChanged, _, _) = try await fingerprints()
        #expect(nestedChanged != before, "a changed customer.id of one document must change it")

        try await PyMongo.run(
            """
            db["\(forward)"].update_one({"_id": 17}, {"$set": {"customer.id": 17 % 5}})
            db["\(forward)"].update_one({"_id": 42}, {"$set": {"total": Decimal128("42.26")}})
            """)
        let (valueChanged, _, _) = try await fingerprints()
        #expect(valueChanged != before, "a changed total of one document must change it")
        #expect(valueChanged != nestedChanged)

        try await PyMongo.run(
            """
            db["\(forward)"].update_one({"_id": 42}, {"$set": {"total": Decimal128("42.25")}})
            """)
        let (restored, _, _) = try await fingerprints()
        #expect(restored == before, "restoring the value restores the fingerprint")
        _ = try? await PyMongo.run("db.drop_collection(\"\(forward)\"); db.drop_collection(\"\(backward)\")")
    }
}

extension CheckValue {
    var digestText: String? {
        if case .digest(let text) = self { return text }
        return nil
    }
}
