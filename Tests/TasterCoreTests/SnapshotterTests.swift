import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

/// Snapshots against the local stack's SecantusDB as the read-only `taster` user, checked against
/// pymongo (or plain Python) on the same data, which the tests insert with pymongo as root.
@Suite("Snapshotter")
struct SnapshotterTests {
    /// Inserts `count` orders into a new collection with pymongo and returns its name.
    func seedOrders(_ prefix: String, count: Int = 300) async throws -> String {
        let collection = TestStack.uniqueName(prefix)
        try await PyMongo.run(
            """
            statuses = ["paid", "open", "void"]
            base = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)
            db["\(collection)"].insert_many([
                {"status": statuses[i % 3], "amount": Int64(i * 10), "price": i * 0.5, "tag": "t%d" % (i % 7),
                 "created": base + datetime.timedelta(minutes=i), "customer": {"id": i % 11, "name": "c%d" % i}}
                for i in range(\(count))
            ])
            """)
        return collection
    }

    func drop(_ collections: String...) async {
        let names = collections.map { "\"\($0)\"" }.joined(separator: ", ")
        _ = try? await PyMongo.run("for name in [\(names)]: db.drop_collection(name)")
    }

    @Test("counts equal pymongo's count_documents, as the read-only user")
    func countsEqualPyMongo() async throws {
        let orders = try await seedOrders("orders")
        let empty = TestStack.uniqueName("empty")
        try await PyMongo.run("db.create_collection(\"\(empty)\")")
        let expected = try await PyMongo.run(
            """
            print(json.dumps([db["\(orders)"].count_documents({}), db["\(empty)"].count_documents({}),
                              db["\(orders)"].count_documents({"status": "paid", "amount": {"$gte": 1000}})]))
            """, uri: try TestStack.mongoURI)
        let snapshot = try await SnapshotFixture(
            collections: [orders, empty],
            checks: """
                checks:
                  - {name: paid-large, kind: count, collection: \(orders), filter: {status: paid, amount: {$gte: 1000}}}
                """
        ).snapshot()
        let pymongoCounts = try JSONDecoder().decode([Int64].self, from: Data(expected.utf8))
        #expect(pymongoCounts.count == 3 && pymongoCounts[0] == 300)
        #expect(snapshot.checks.map(\.value) == pymongoCounts.map { .int64($0) })
        #expect(snapshot.checks.map(\.name) == [orders, empty, "paid-large"])
        #expect(snapshot.checks.allSatisfy { !$0.missing && $0.kind == .count && $0.rule == .equal })
        #expect(snapshot.serverVersion == "8.2.11")
        #expect(snapshot.clock == "server")
        #expect(Timestamp.parse(snapshot.takenAt) != nil)
        await drop(orders, empty)
    }

    @Test("every check kind, with and without a filter, equals what Python computes")
    func everyKind() async throws {
        let orders = try await seedOrders("kinds")
        let checks = """
            checks:
              - {name: count-all, kind: count, collection: \(orders)}
              - {name: count-paid, kind: count, collection: \(orders), filter: {status: paid}}
              - {name: estimate, kind: estimated-count, collection: \(orders)}
              - {name: sum-amount, kind: sum, collection: \(orders), field: amount}
              - {name: sum-amount-paid, kind: sum, collection: \(orders), field: amount, filter: {status: paid}}
              - {name: sum-price, kind: sum, collection: \(orders), field: price}
              - {name: min-amount, kind: min, collection: \(orders), field: amount}
              - {name: min-amount-open, kind: min, collection: \(orders), field: amount, filter: {status: open}}
              - {name: max-tag, kind: max, collection: \(orders), field: tag}
              - {name: min-created, kind: min, collection: \(orders), field: created}
              - {name: max-missing, kind: max, collection: \(orders), field: nothing}
              - {name: distinct-tags, kind: distinct-count, collection: \(orders), field: tag}
              - {name: distinct-customers-void, kind: distinct-count, collection: \(orders), field: customer.id, filter: {status: void}}
              - name: agg-open
                kind: aggregate
                collection: \(orders)
                pipeline: [{$match: {status: open}}, {$group: {_id: null, n: {$sum: "$amount"}}}]
                field: n
              - {name: fp, kind: fingerprint, collection: \(orders), fields: [status, amount]}
              - {name: fp-paid, kind: fingerprint, collection: \(orders), fields: [customer.id, price], filter: {status: paid}}
            """
        let expected = try await PyMongo.run(
            PyMongo.fingerprintFunction + """
                c = db["\(orders)"]
                docs = list(c.find({}))
                paid = [d for d in docs if d["status"] == "paid"]
                fp, fpn = fingerprint(projected(c, ["status", "amount"]), ["status", "amount"])
                fpp, fppn = fingerprint(projected(c, ["customer.id", "price"], {"status": "paid"}), ["customer.id", "price"])
                created = min(d["created"] for d in docs)
                print(json.dumps({
                    "count-all": [str(len(docs)), None], "count-paid": [str(len(paid)), None], "estimate": [str(len(docs)), None],
                    "sum-amount": [str(sum(d["amount"] for d in docs)), len(docs)],
                    "sum-amount-paid": [str(sum(d["amount"] for d in paid)), len(paid)],
                    "sum-price": [repr(float(sum(d["price"] for d in docs))), len(docs)],
                    "min-amount": [str(min(d["amount"] for d in docs)), len(docs)],
                    "min-amount-open": [str(min(d["amount"] for d in docs if d["status"] == "open")), len(docs) // 3],
                    "max-tag": [json.dumps(max(d["tag"] for d in docs)), len(docs)],
                    "min-created": ['{ "$date" : { "$numberLong" : "%d" } }' % int(created.replace(tzinfo=datetime.timezone.utc).timestamp() * 1000), len(docs)],
                    "max-missing": [None, len(docs)],
                    "distinct-tags": [str(len({d["tag"] for d in docs})), len(docs)],
                    "distinct-customers-void": [str(len({d["customer"]["id"] for d in docs if d["status"] == "void"})), len(docs) // 3],
                    "agg-open": [str(sum(d["amount"] for d in docs if d["status"] == "open")), None],
                    "fp": [fp, fpn], "fp-paid": [fpp, fppn],
                }))
                """)
        let snapshot = try await SnapshotFixture(collections: [], checks: checks).snapshot()
        let decoded = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String: [Any]] ?? [:]
        #expect(decoded.count == 16)
        for (name, pair) in decoded {
            let result = try snapshot.check(name)
            let value: String? =
                switch result.value {
                case .int64(let number): String(number)
                case .double(let number): number.description
                case .decimal(let text), .digest(let text), .text(let text): text
                case nil: nil
                }
            #expect(value == pair[0] as? String, "\(name)")
            #expect(result.documents == (pair[1] as? Int).map(Int64.init), "\(name) documents")
            #expect(!result.missing)
        }
        if case .double = try snapshot.check("sum-price").value {} else { Issue.record("a sum of doubles is a double") }
        if case .digest = try snapshot.check("fp").value {} else { Issue.record("a fingerprint is a digest") }
        #expect(try snapshot.check("count-paid").parameters["filter"] == #"{ "status" : "paid" }"#)
        await drop(orders)
    }

    @Test("Decimal128 and int64 sums beyond 2^53 are exact")
    func exactSums() async throws {
        let collection = TestStack.uniqueName("exact")
        let expected = try await PyMongo.run(
            """
            import decimal
            decimal.getcontext().prec = 34  # Decimal128's precision
            c = db["\(collection)"]
            c.insert_many([{"n": Int64(2**53 + 1), "d": Decimal128("0.1")}, {"n": Int64(2**53 + 3), "d": Decimal128("0.2")},
                           {"n": Int64(7), "d": Decimal128("12345678901234567890.123456789")}, {"other": 1}])
            print(json.dumps([str(2**53 + 1 + 2**53 + 3 + 7), str(Decimal("0.1") + Decimal("0.2") + Decimal("12345678901234567890.123456789"))]))
            """)
        let snapshot = try await SnapshotFixture(
            collections: [],
            checks: """
                checks:
                  - {name: n, kind: sum, collection: \(collection), field: n}
                  - {name: d, kind: sum, collection: \(collection), field: d}
                  - {name: d-max, kind: max, collection: \(collection), field: d}
                  - {name: n-min, kind: min, collection: \(collection), field: n}
                """
        ).snapshot()
        let values = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? [String] ?? []
        #expect(try snapshot.check("n").value == .int64(Int64(values[0])!))
        #expect(try snapshot.check("n").value == .int64(18_014_398_509_481_995))
        #expect(try snapshot.check("d").value == .decimal(values[1]))
        #expect(try snapshot.check("d").value == .decimal("12345678901234567890.423456789"))
        #expect(try snapshot.check("d-max").value == .decimal("12345678901234567890.123456789"))
        #expect(try snapshot.check("n-min").value == .int64(7))
        #expect(try snapshot.check("n").documents == 4)
        // Exact through JSON too: int64 is written as a string.
        let json = try snapshot.jsonText()
        #expect(json.contains(#""int64" : "18014398509481995""#))
        #expect(try JSONDecoder().decode(Snapshot.self, from: Data(json.utf8)) == snapshot)
        await drop(collection)
    }

    @Test("asOf: baseline ignores documents written after the cut, by ObjectId time or a date field")
    func asOfBaseline() async throws {
        let collection = TestStack.uniqueName("asof")
        // The cut: a whole second an hour ago. 40 documents before it (5 in its very second),
        // 25 after it; the date field tells the same story.
        let cutSeconds = Int(Date().timeIntervalSince1970) - 3600
        try await PyMongo.run(
            PyMongo.fingerprintFunction + """
                cut = \(cutSeconds)
                def oid(seconds):
                    return ObjectId(struct.pack(">I", seconds) + os.urandom(8))
                def at(seconds):
                    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc)
                old = [{"_id": oid(cut - 100 + i), "created": at(cut - 100 + i), "v": i} for i in range(35)]
                old += [{"_id": oid(cut), "created": at(cut), "v": 100 + i} for i in range(5)]
                new = [{"_id": oid(cut + 1 + i), "created": at(cut + 1 + i), "v": 1000 + i} for i in range(25)]
                db["\(collection)"].insert_many(old + new)
                """)
        let checks = """
            checks:
              - {name: all, kind: count, collection: \(collection)}
              - {name: by-id, kind: count, collection: \(collection), asOf: baseline}
              - {name: by-date, kind: count, collection: \(collection), asOf: baseline, asOfField: created}
              - {name: by-id-filtered, kind: count, collection: \(collection), asOf: baseline, filter: {v: {$gte: 10}}}
              - {name: sum, kind: sum, collection: \(collection), field: v, asOf: baseline}
              - {name: distinct, kind: distinct-count, collection: \(collection), field: v, asOf: baseline}
              - {name: max, kind: max, collection: \(collection), field: v, asOf: baseline, asOfField: created}
              - name: agg
                kind: aggregate
                collection: \(collection)
                pipeline: [{$count: n}]
                field: n
                asOf: baseline
              - {name: fp, kind: fingerprint, collection: \(collection), fields: [v], asOf: baseline}
            """
        let expected = try await PyMongo.run(
            PyMongo.fingerprintFunction + """
                c = db["\(collection)"]
                print(fingerprint(projected(c, ["v"], {"created": {"$lte": datetime.datetime.fromtimestamp(\(cutSeconds), datetime.timezone.utc)}}), ["v"])[0])
                """)
        let cut = Date(timeIntervalSince1970: Double(cutSeconds) + 0.5)
        let snapshot = try await SnapshotFixture(collections: [], checks: checks).snapshot(asOf: cut)
        #expect(try snapshot.check("all").value == .int64(65))
        #expect(try snapshot.check("by-id").value == .int64(40))
        #expect(try snapshot.check("by-date").value == .int64(40))
        #expect(try snapshot.check("by-id-filtered").value == .int64(30))
        #expect(try snapshot.check("sum").value == .int64((0..<35).reduce(0, +) + (100..<105).reduce(0, +)))
        #expect(try snapshot.check("distinct").value == .int64(40))
        #expect(try snapshot.check("max").value == .int64(104))
        #expect(try snapshot.check("agg").value == .int64(40))
        #expect(try snapshot.check("fp").value == .digest(expected))
        #expect(try snapshot.check("fp").documents == 40)
        #expect(try snapshot.check("by-id").parameters["asOf"] == "_id <= \(Timestamp.rfc3339(cut))")
        #expect(try snapshot.check("by-date").parameters["asOf"] == "created <= \(Timestamp.rfc3339(cut))")

        // Without a baseline's time the snapshot is the baseline: it cuts at its own (server) time.
        let own = try await SnapshotFixture(collections: [], checks: checks).snapshot()
        #expect(try own.check("by-id").value == .int64(65))
        #expect(try own.check("by-id").parameters["asOf"] == "_id <= \(own.takenAt)")
        await drop(collection)
    }

    @Test("a missing collection is reported as missing, not as 0")
    func missingCollection() async throws {
        let present = try await seedOrders("present", count: 3)
        let absent = TestStack.uniqueName("absent")
        let snapshot = try await SnapshotFixture(
            collections: [present, absent],
            checks: """
                checks:
                  - {name: absent-sum, kind: sum, collection: \(absent), field: amount}
                """
        ).snapshot()
        #expect(try snapshot.check(present).value == .int64(3))
        #expect(try snapshot.check(present).missing == false)
        let missing = try snapshot.check(absent)
        #expect(missing.missing && missing.value == nil)
        #expect(try snapshot.check("absent-sum").missing)
        #expect(snapshot.table.contains("missing"))
        await drop(present)
    }

    @Test("the baseline refuses a check whose collection does not exist, before measuring, unless it allows that")
    func refusingMissing() async throws {
        let present = try await seedOrders("refuse", count: 3)
        let misspelled = present.replacingOccurrences(of: "refuse", with: "refsue")
        let fixture = try SnapshotFixture(
            collections: [present],
            checks: """
                checks:
                  - {name: typo, kind: count, collection: \(misspelled)}
                  - {name: later, kind: count, collection: \(TestStack.uniqueName("later")), allowMissing: true}
                """)
        let source = try MongoSnapshotSource(settings: try fixture.settings, logger: fixture.logger)
        do {
            _ = try await source.snapshot(asOf: nil, refusingMissing: true, deadline: Deadline(budget: .seconds(60)))
            Issue.record("expected MissingCollectionError")
        } catch let error as MissingCollectionError {
            #expect(error.exitCode == .usage)
            #expect(error.refused.map(\.check) == ["typo"], "the allowMissing check is not refused")
            #expect(error.description.contains("check \"typo\" (#1) reads pxbbq.\(misspelled), which does not exist (did you mean \(present)?)"))
            #expect(error.description.contains("allowMissing: true"))
        }
        // Recorded as missing otherwise (post-taste, `taster snapshot`), with a warning for the check that requires it.
        let recorded = try await fixture.snapshot()
        #expect(try recorded.check("typo").missing && recorded.check("later").missing && recorded.check("later").allowMissing)
        #expect(fixture.sink.written.contains { $0.contains("check \"typo\" (#1): collection pxbbq.\(misspelled) does not exist") })
        #expect(!fixture.sink.written.contains { $0.contains("check \"later\" (#2): collection") })
        await drop(present)
    }

    @Test("a measured field no document holds is found in the same round trip, for every kind that measures a field")
    func absentFields() async throws {
        let orders = try await seedOrders("absent", count: 20)
        try await PyMongo.run(
            """
            db["\(orders)"].update_many({}, {"$set": {"lines": [{"sku": "a"}, {"qty": 2}]}})
            db["\(orders)"].update_one({"status": "void"}, {"$set": {"note": None}})
            """)
        let fixture = try SnapshotFixture(
            collections: [],
            checks: """
                checks:
                  - {name: sum-typo, kind: sum, collection: \(orders), field: amout}
                  - {name: sum-ok, kind: sum, collection: \(orders), field: amount}
                  - {name: min-typo, kind: min, collection: \(orders), field: customer.idd}
                  - {name: max-ok, kind: max, collection: \(orders), field: customer.id}
                  - {name: distinct-typo, kind: distinct-count, collection: \(orders), field: tags}
                  - {name: distinct-ok, kind: distinct-count, collection: \(orders), field: tag}
                  - {name: null-is-held, kind: max, collection: \(orders), field: note}
                  - {name: filtered-empty, kind: sum, collection: \(orders), field: amout, filter: {status: none}}
                  - {name: print, kind: fingerprint, collection: \(orders), fields: [status, totl, lines.sku, lines.skew, customer.name]}
                """)
        let snapshot = try await fixture.snapshot()
        let absent = Dictionary(uniqueKeysWithValues: snapshot.checks.filter { $0.collection == orders }.map { ($0.name, $0.absentFields) })
        #expect(
            absent == [
                "sum-typo": ["amout"], "sum-ok": [], "min-typo": ["customer.idd"], "max-ok": [], "distinct-typo": ["tags"],
                "distinct-ok": [], "null-is-held": [], "filtered-empty": [], "print": ["totl", "lines.skew"],
            ])
        // The values themselves are unchanged by the extra accumulators.
        #expect(try snapshot.check("distinct-ok").value == .int64(7) && snapshot.check("distinct-ok").documents == 20)
        #expect(try snapshot.check("distinct-typo").value == .int64(0) && snapshot.check("distinct-typo").documents == 0)
        #expect(try snapshot.check("sum-typo").value == .int64(0) && snapshot.check("sum-typo").documents == 20)
        #expect(snapshot.warnings.count == 4)
        #expect(fixture.sink.written.contains { $0.contains("check \"sum-typo\" (#1): field amout is absent from every document of pxbbq.\(orders)") })
        #expect(fixture.sink.written.contains { $0.contains("check \"print\" (#9): fields totl, lines.skew are absent") })
        await drop(orders)
    }

    @Test("MONGO_NODE/MONGO_USER/MONGO_PASS with a password holding @ : / % ? connects")
    func demoSpellingWithSpecialPassword() async throws {
        let password = try TestStack.value("TESTENV_MONGO_PASSWORD")
        #expect(password.contains("@") && password.contains(":") && password.contains("/") && password.contains("%") && password.contains("?"))
        let orders = try await seedOrders("parts", count: 5)
        let fixture = try SnapshotFixture(
            collections: [orders],
            extra: [
                "MONGO_NODE": "127.0.0.1", "MONGO_PORT": try TestStack.value("TESTENV_MONGO_PORT"),
                "MONGO_USER": "taster", "MONGO_PASS": password,
            ])
        #expect(try fixture.settings.connection.map { if case .parts = $0 { true } else { false } } == true)
        #expect(try await fixture.snapshot().check(orders).value == .int64(5))
        await drop(orders)
    }

    @Test("SCRAM-SHA-1 through authMechanism in the URI, with authSource")
    func scramSHA1() async throws {
        let user = TestStack.uniqueName("sha1")
        let password = "p@ss:/%?" + UUID().uuidString.prefix(8)
        try await PyMongo.run(
            """
            client.admin.command("createUser", "\(user)", pwd=\(pythonString(password)), mechanisms=["SCRAM-SHA-1"],
                                 roles=[{"role": "read", "db": db.name}])
            """)
        let escaped = password.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let uri = "mongodb://\(user):\(escaped)@127.0.0.1:\(try TestStack.value("TESTENV_MONGO_PORT"))/?authSource=admin&authMechanism=SCRAM-SHA-1"
        let orders = try await seedOrders("sha1", count: 2)
        #expect(try await SnapshotFixture(uri: uri, collections: [orders]).snapshot().check(orders).value == .int64(2))
        try await PyMongo.run("client.admin.command(\"dropUser\", \"\(user)\")")
        await drop(orders)
    }

    @Test("checks run at most `concurrency` at a time and keep their order")
    func concurrencyKeepsOrder() async throws {
        let orders = try await seedOrders("order", count: 20)
        let lines = (0..<12).map { "  - {name: c\($0), kind: count, collection: \(orders), filter: {amount: {$gte: \($0 * 10)}}}" }
        let fixture = try SnapshotFixture(collections: [], checks: "checks:\n" + lines.joined(separator: "\n"))
        let settings = try fixture.settings
        let deadline = Deadline(budget: .seconds(60))
        let pool = try await MongoConnector(settings: settings, deadline: deadline).waitUntilReady(wait: settings.wait, logger: fixture.logger)
        let snapshot = try await Snapshotter(settings: settings, deadline: deadline, logger: fixture.logger, concurrency: 3)
            .measure(try SnapshotPlan(settings: settings), pool: pool).snapshot
        await pool.close()
        // TASTER_COLLECTIONS is empty, so the default counts (orders, registrations) come first.
        let mine = snapshot.checks.filter { $0.collection == orders }
        #expect(mine.map(\.name) == (0..<12).map { "c\($0)" })
        #expect(mine.map(\.value) == (0..<12).map { .int64(Int64(20 - $0)) })
        await drop(orders)
    }
}

/// A Python string literal.
func pythonString(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
