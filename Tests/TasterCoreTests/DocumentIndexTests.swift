import Foundation
import Testing

@testable import TasterCore
@testable import TasterSupport

@Suite("Document indexes: format, order, extended JSON, comparison")
struct DocumentIndexTests {
    static func oid(_ last: UInt8) -> BSONRawValue { BSONRawValue(type: BSONRawValue.objectID, bytes: Array(repeating: 0x6b, count: 11) + [last]) }
    static func int32(_ value: Int32) -> BSONRawValue {
        BSONRawValue(type: BSONRawValue.int32, bytes: withUnsafeBytes(of: value.littleEndian, Array.init))
    }
    static func int64(_ value: Int64) -> BSONRawValue {
        BSONRawValue(type: BSONRawValue.int64, bytes: withUnsafeBytes(of: value.littleEndian, Array.init))
    }
    static func double(_ value: Double) -> BSONRawValue {
        BSONRawValue(type: BSONRawValue.double, bytes: withUnsafeBytes(of: value.bitPattern.littleEndian, Array.init))
    }
    static func string(_ text: String) -> BSONRawValue {
        let utf8 = Array(text.utf8)
        return BSONRawValue(type: BSONRawValue.string, bytes: withUnsafeBytes(of: Int32(utf8.count + 1).littleEndian, Array.init) + utf8 + [0])
    }
    static func document(_ elements: [(String, BSONRawValue)]) -> BSONRawValue {
        var body: [UInt8] = []
        for (key, value) in elements { body += [value.type] + Array(key.utf8) + [0] + value.bytes }
        return BSONRawValue(type: BSONRawValue.document, bytes: withUnsafeBytes(of: Int32(body.count + 5).littleEndian, Array.init) + body + [0])
    }

    @Test("MongoDB's order: numbers across types by value, then strings, documents, binary, ObjectIds")
    func order() {
        let sorted: [BSONRawValue] = [
            Self.double(-1.5), Self.int32(-1), Self.int64(0), Self.double(0.5), Self.int32(2), Self.int64(1 << 40),
            Self.string("a"), Self.string("ab"), Self.string("b"),
            Self.document([("a", Self.int32(1))]), Self.document([("a", Self.int32(1)), ("b", Self.int32(0))]),
            Self.document([("b", Self.int32(0))]),
            BSONRawValue(type: BSONRawValue.binary, bytes: [1, 0, 0, 0, 4, 9]), BSONRawValue(type: BSONRawValue.binary, bytes: [2, 0, 0, 0, 0, 1, 1]),
            Self.oid(1), Self.oid(2),
        ]
        for (index, left) in sorted.enumerated() {
            for (other, right) in sorted.enumerated() {
                let expected = index == other ? 0 : (index < other ? -1 : 1)
                #expect(left.order(right) == expected, "\(left.canonicalJSON) vs \(right.canonicalJSON)")
            }
        }
        #expect(Self.int32(5).order(Self.int64(5)) == 0)
        #expect(Self.double(5).order(Self.int64(5)) == 0)
    }

    @Test("ids as canonical extended JSON")
    func extendedJSON() {
        #expect(Self.oid(0x11).canonicalJSON == "{\"$oid\":\"6b6b6b6b6b6b6b6b6b6b6b11\"}")
        #expect(Self.int32(-7).canonicalJSON == "{\"$numberInt\":\"-7\"}")
        #expect(Self.int64(1 << 40).canonicalJSON == "{\"$numberLong\":\"1099511627776\"}")
        #expect(Self.double(2.5).canonicalJSON == "{\"$numberDouble\":\"2.5\"}")
        #expect(Self.double(3).canonicalJSON == "{\"$numberDouble\":\"3.0\"}")
        #expect(Self.string("say \"hi\"").canonicalJSON == "\"say \\\"hi\\\"\"")
        #expect(
            Self.document([("shop", Self.string("berlin")), ("seq", Self.int32(3))]).canonicalJSON == "{\"shop\":\"berlin\",\"seq\":{\"$numberInt\":\"3\"}}")
        let uuid = BSONRawValue(type: BSONRawValue.binary, bytes: [16, 0, 0, 0, 4] + Array(repeating: 0, count: 15) + [7])
        #expect(uuid.canonicalJSON == "{\"$binary\":{\"base64\":\"AAAAAAAAAAAAAAAAAAAABw==\",\"subType\":\"04\"}}")
        // 1.10 as Decimal128: coefficient 110, exponent -2.
        var decimal = withUnsafeBytes(of: UInt64(110).littleEndian, Array.init)
        decimal += withUnsafeBytes(of: (UInt64(6176 - 2) << 49).littleEndian, Array.init)
        #expect(BSONRawValue(type: BSONRawValue.decimal128, bytes: decimal).canonicalJSON == "{\"$numberDecimal\":\"1.10\"}")
    }

    func index(_ entries: [(BSONRawValue, [UInt8])], fields: [String] = ["status", "total"], keyID: String? = "0123456789abcdef") throws -> LocalDocumentIndex {
        let writer = try DocumentIndexWriter(fields: fields, keyID: keyID)
        for (id, digests) in entries {
            try id.bytes.withUnsafeBytes { try writer.append(idType: id.type, id: $0, digests: digests) }
        }
        return try writer.finish()
    }

    @Test("an ObjectId and four fields take 30 bytes; the index reads back as written")
    func roundTrip() throws {
        let entries = (0..<100).map { (Self.oid(UInt8($0)), [UInt8](repeating: UInt8($0), count: 16)) }
        let written = try index(entries, fields: ["a", "b", "c", "d"])
        let header = DocumentIndexFormat.header(fields: ["a", "b", "c", "d"], keyed: true).count
        #expect(written.bytes == header + 100 * 30 + 9)
        var reader = try DocumentIndexReader(written.file)
        #expect(reader.fields == ["a", "b", "c", "d"])
        var read: [DocumentIndexEntry] = []
        while let entry = try reader.next() { read.append(entry) }
        #expect(read.map(\.id) == entries.map(\.0))
        #expect(written.documents == 100 && written.sha256.count == 64)
    }

    @Test("an _id nested deeper than MongoDB allows is a damaged index, not a crash")
    func deeplyNested() throws {
        func nested(_ depth: Int) -> BSONRawValue {
            var value = Self.int32(1)
            for _ in 0..<depth { value = Self.document([("a", value)]) }
            return value
        }
        #expect(!nested(BSONRawValue.maximumNesting).nestsDeeper())
        let allowed = try index([(nested(BSONRawValue.maximumNesting), [UInt8](repeating: 1, count: 8))])
        var reader = try DocumentIndexReader(allowed.file)
        #expect(try reader.next() != nil)
        let hostile = try index([(nested(5_000), [UInt8](repeating: 1, count: 8))])
        var damaged = try DocumentIndexReader(hostile.file)
        #expect(throws: DocumentIndexError.self) { _ = try damaged.next() }
    }

    @Test("lost, added and modified by one pass over two indexes; the full list as JSON lines")
    func comparison() throws {
        let before = try index([
            (Self.oid(1), [1, 1, 1, 1, 2, 2, 2, 2]), (Self.oid(2), [1, 1, 1, 1, 2, 2, 2, 2]),
            (Self.oid(3), [1, 1, 1, 1, 2, 2, 2, 2]), (Self.oid(5), [1, 1, 1, 1, 0, 0, 0, 0]),
        ])
        let after = try index([
            (Self.oid(2), [1, 1, 1, 1, 2, 2, 2, 2]), (Self.oid(3), [9, 1, 1, 1, 2, 2, 2, 2]),
            (Self.oid(4), [1, 1, 1, 1, 2, 2, 2, 2]), (Self.oid(5), [1, 1, 1, 1, 2, 2, 2, 3]),
        ])
        let list = try SpoolWriter(name: "test")
        let evidence = try DocumentIndexComparison.compare(baseline: before.file, current: after.file, limit: 20, list: list)
        #expect(evidence.lost == ChangedDocuments(count: 1, first: [.init(id: Self.oid(1).canonicalJSON)]))
        #expect(evidence.added == ChangedDocuments(count: 1, first: [.init(id: Self.oid(4).canonicalJSON)]))
        #expect(evidence.modified?.first.map(\.fields) == [["status"], ["total"]])
        #expect(evidence.resultText == "1 lost, 1 added, 2 modified (status, total)")
        let file = try list.finish()
        let text = String(decoding: try file.read(at: 0, count: file.size), as: UTF8.self)
        #expect(text.split(separator: "\n").count == 4)
        #expect(text.hasPrefix("{\"change\":\"lost\",\"_id\":{\"$oid\":\"6b6b6b6b6b6b6b6b6b6b6b01\"}}\n"))
    }

    @Test("a truncated index, a wrong trailer or ids out of order are errors, never a partial answer")
    func damaged() throws {
        let whole = try index([(Self.oid(1), [0, 0, 0, 1, 0, 0, 0, 1]), (Self.oid(2), [0, 0, 0, 1, 0, 0, 0, 1])])
        let bytes = try whole.file.read(at: 0, count: whole.bytes)
        func spool(_ bytes: [UInt8]) throws -> SpoolFile {
            let writer = try SpoolWriter(name: "test")
            try writer.write(bytes)
            return try writer.finish()
        }
        let list = try SpoolWriter(name: "test")
        #expect(throws: DocumentIndexError.self) {
            _ = try DocumentIndexComparison.compare(baseline: try spool(Array(bytes.dropLast(12))), current: whole.file, limit: 5, list: list)
        }
        var wrongCount = bytes
        wrongCount[wrongCount.count - 1] = 3
        #expect(throws: DocumentIndexError.self) {
            _ = try DocumentIndexComparison.compare(baseline: try spool(wrongCount), current: whole.file, limit: 5, list: list)
        }
        let unordered = try index([(Self.oid(2), [0, 0, 0, 1, 0, 0, 0, 1]), (Self.oid(1), [0, 0, 0, 1, 0, 0, 0, 1])])
        #expect(throws: DocumentIndexError.self) {
            _ = try DocumentIndexComparison.compare(baseline: unordered.file, current: whole.file, limit: 5, list: list)
        }
        #expect(throws: DocumentIndexError.self) { _ = try DocumentIndexReader(try spool(Array("not an index".utf8))) }
    }

    @Test("without an evidence key: _ids only, lost and added named, modified not, and why")
    func unkeyed() throws {
        let before = try index([(Self.oid(1), []), (Self.oid(2), []), (Self.oid(3), [])], keyID: nil)
        let after = try index([(Self.oid(2), []), (Self.oid(3), []), (Self.oid(4), [])], keyID: nil)
        #expect(before.bytes == DocumentIndexFormat.header(fields: ["status", "total"], keyed: false).count + 3 * 14 + 9)
        let list = try SpoolWriter(name: "test")
        let evidence = try DocumentIndexComparison.compare(baseline: before.file, current: after.file, limit: 20, list: list)
        #expect(evidence.lost?.count == 1 && evidence.added?.count == 1 && evidence.modified == nil)
        #expect(evidence.limited?.contains("TASTER_EVIDENCE_KEY") == true)
        let keyed = try index([(Self.oid(2), [1, 1, 1, 1, 2, 2, 2, 2])])
        #expect(throws: DocumentIndexError.self) {
            _ = try DocumentIndexComparison.compare(baseline: before.file, current: keyed.file, limit: 20, list: list)
        }
    }

    @Test("an index of format 1 (unkeyed SHA-256 digests) is read as made by an older taster")
    func olderFormat() throws {
        let record = DocumentIndexRecord(format: 1, key: "k", sha256: "s", bytes: 10, documents: 1)
        #expect(record.unusable?.contains("made by an older taster") == true)
        let current = try index([(Self.oid(1), [1, 1, 1, 1, 2, 2, 2, 2])])
        var bytes = try current.file.read(at: 0, count: current.bytes)
        bytes[DocumentIndexFormat.magic.count] = 1
        let writer = try SpoolWriter(name: "test")
        try writer.write(bytes)
        do {
            _ = try DocumentIndexReader(try writer.finish())
            Issue.record("a format 1 index was read")
        } catch {
            #expect("\(error)".contains("older taster"))
        }
    }

    @Test("a key change between the baseline and now is named, never compared")
    func keyChange() {
        let record = DocumentIndexRecord(format: 2, key: "k", sha256: "s", bytes: 10, documents: 1, keyID: "aaaa")
        #expect(record.keyChange(to: "aaaa") == nil)
        #expect(record.keyChange(to: "bbbb")?.hasPrefix("the evidence key changed") == true)
        #expect(record.keyChange(to: nil)?.contains("no key") == true)
        #expect(DocumentIndexRecord(format: 2, keyID: nil).keyChange(to: nil) == nil)
    }

    @Test("naming stops at its deadline with a reason, never a partial answer")
    func bounded() throws {
        let entries = (0..<10_000).map { n in
            (BSONRawValue(type: BSONRawValue.int64, bytes: withUnsafeBytes(of: Int64(n).littleEndian, Array.init)), [UInt8](repeating: 1, count: 8))
        }
        let before = try index(entries)
        let after = try index(Array(entries.dropFirst()))
        let list = try SpoolWriter(name: "test")
        do {
            _ = try DocumentIndexComparison.compare(
                baseline: before.file, current: after.file, limit: 20, list: list, deadline: Deadline(budget: .zero))
            Issue.record("the comparison ran past its deadline")
        } catch {
            #expect("\(error)".contains("TASTER_DEADLINE"))
        }
        let evidence = try DocumentIndexComparison.compare(
            baseline: before.file, current: after.file, limit: 20, list: list, deadline: Deadline(budget: .seconds(600)))
        #expect(evidence.lost?.count == 1)
    }

    static func decimal(_ coefficient: UInt64, exponent: Int, negative: Bool = false) -> BSONRawValue {
        var bytes = withUnsafeBytes(of: coefficient.littleEndian, Array.init)
        let high = (UInt64(6176 + exponent) << 49) | (negative ? 1 << 63 : 0)
        bytes += withUnsafeBytes(of: high.littleEndian, Array.init)
        return BSONRawValue(type: BSONRawValue.decimal128, bytes: bytes)
    }

    @Test("Decimal128 _ids order by numeric value, among themselves and with integers and doubles")
    func decimalOrder() {
        let one = Self.decimal(1, exponent: 0), oneAndZero = Self.decimal(10, exponent: -1), oneHundredth = Self.decimal(100, exponent: -2)
        #expect(one.order(oneAndZero) == 0 && oneAndZero.order(oneHundredth) == 0)
        #expect(one.order(Self.int32(1)) == 0 && Self.int32(2).order(one) > 0)
        #expect(Self.decimal(11, exponent: -1).order(Self.decimal(2, exponent: 0)) < 0) // 1.1 < 2
        #expect(Self.decimal(1, exponent: 3).order(Self.decimal(999, exponent: 0)) > 0) // 1E+3 > 999
        #expect(Self.decimal(25, exponent: -1, negative: true).order(Self.decimal(2, exponent: 0, negative: true)) < 0) // -2.5 < -2
        #expect(Self.decimal(0, exponent: 0, negative: true).order(Self.decimal(0, exponent: 5)) == 0) // -0 = 0
        let half = BSONRawValue(type: BSONRawValue.double, bytes: withUnsafeBytes(of: (0.5).bitPattern.littleEndian, Array.init))
        #expect(Self.decimal(4, exponent: -1).order(half) < 0 && Self.decimal(6, exponent: -1).order(half) > 0)
        var nan = [UInt8](repeating: 0, count: 16)
        nan[15] = 0x7C
        var negativeInfinity = [UInt8](repeating: 0, count: 16)
        negativeInfinity[15] = 0xF8
        #expect(BSONRawValue(type: BSONRawValue.decimal128, bytes: nan).order(BSONRawValue(type: BSONRawValue.decimal128, bytes: negativeInfinity)) < 0)
        #expect(BSONRawValue(type: BSONRawValue.decimal128, bytes: negativeInfinity).order(Self.decimal(1, exponent: 6000, negative: true)) < 0)
    }

    @Test("taster compare reads an index file a part at a time: the bytes intact, a larger one refused, spool writes of any size")
    func spooledFile() async throws {
        let entries = (0..<100_000).map { n in
            (BSONRawValue(type: BSONRawValue.int64, bytes: withUnsafeBytes(of: Int64(n).littleEndian, Array.init)), [UInt8](repeating: 7, count: 8))
        }
        let written = try index(entries)
        let original = try written.file.read(at: 0, count: written.bytes)
        let reader = ReportLocationReader(bucket: NoBucket())
        let copy = try await reader.download(written.file.path, maxBytes: written.bytes)
        #expect(try copy.read(at: 0, count: copy.size) == original)
        #expect(try copy.readData(at: 5, count: 100) == Data(original[5..<105]))
        await #expect(throws: ReportFileError.self) { _ = try await reader.download(written.file.path, maxBytes: written.bytes - 1) }
        await #expect(throws: ReportFileError.self) { _ = try await reader.download(written.file.path + ".missing", maxBytes: 10) }
    }
}

/// A bucket reader for tests that give files only.
private struct NoBucket: ReportReader {
    func read(_ location: String, maxBytes: Int) async throws -> Data { throw ReportFileError(path: location, problem: "is not a file") }
}
