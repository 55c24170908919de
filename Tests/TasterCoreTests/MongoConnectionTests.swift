import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

/// Connecting: credentials, TLS, waiting for a database that is late or never comes, libmongoc's
/// retryable reads under fail points, and `taster snapshot` itself.
@Suite("MongoDB connection")
struct MongoConnectionTests {
    // MARK: Credentials

    @Test("a wrong password exits 3, fast, naming the host; no password and no raw libmongoc line in the output")
    func wrongPassword() async throws {
        let realPassword = try TestStack.value("TESTENV_MONGO_PASSWORD")
        let wrongPassword = "Wr0ng@pass:/%?word"
        let escaped = wrongPassword.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let port = try TestStack.value("TESTENV_MONGO_PORT")
        let started = ContinuousClock.now
        let result = try await TasterBinary.run(
            ["snapshot"],
            environment: [
                "MONGODB_URI": "mongodb://taster:\(escaped)@127.0.0.1:\(port)/?authSource=admin",
                "TASTER_DATABASE": try TestStack.database, "TASTER_MONGO_WAIT": "30s",
            ])
        let output = result.stdout + result.stderr
        #expect(result.status == 3, "\(output)")
        #expect(ContinuousClock.now - started < .seconds(10), "authentication failures do not wait")
        #expect(result.stderr.contains("MongoDB at 127.0.0.1:\(port) refused the credentials"), "\(result.stderr)")
        #expect(result.stderr.contains("authSource"))
        for secret in [wrongPassword, escaped, realPassword, "Wr0ng"] {
            #expect(!output.contains(secret), "\(secret) leaked: \(output)")
        }
        #expect(!output.contains("cluster:") && !output.contains("WARNING"), "raw libmongoc log lines: \(output)")
        #expect(result.stdout.isEmpty)
    }

    @Test("a wrong password through MONGO_USER/MONGO_PASS is the same error")
    func wrongPasswordParts() async throws {
        let fixture = try SnapshotFixture(
            collections: ["orders"],
            extra: [
                "MONGO_NODE": "127.0.0.1", "MONGO_PORT": try TestStack.value("TESTENV_MONGO_PORT"),
                "MONGO_USER": "taster", "MONGO_PASS": "not:the/password",
            ])
        let error = try await #require(throws: MongoError.self) { try await fixture.snapshot() }
        #expect(error.kind == .authentication)
        #expect(error.exitCode == .dependency)
        #expect(!error.description.contains("not:the/password"))
    }

    // MARK: TLS

    /// A CA of the test's own and a server certificate for 127.0.0.1 signed by it.
    func makeCertificates(in folder: TemporaryDirectory) async throws -> (ca: String, cert: String, key: String) {
        let tlsgen = FileManager.default.currentDirectoryPath + "/testenv/tlsgen.py"
        let python = try TestStack.bin("python")
        let tls = folder.path("tls").path
        for arguments in [["ca", tls], ["server", tls, "mongo", tls + "/ca.crt", tls + "/ca.key"]] {
            let result = try await TestCommand.run(python, [tlsgen] + arguments)
            guard result.status == 0 else { throw TestFailure("tlsgen failed: \(result.stderr)") }
        }
        return (tls + "/ca.crt", tls + "/mongo.crt", tls + "/mongo.key")
    }

    @Test("TLS with a self-signed CA works; without the CA it fails with a clear TLS message")
    func tls() async throws {
        let folder = try TemporaryDirectory("taster-tls")
        let files = try await makeCertificates(in: folder)
        let mongo = try await PrivateMongo.start(tls: (files.cert, files.key), folder: folder)
        let trusted = "mongodb://127.0.0.1:\(mongo.port)/?tls=true&tlsCAFile=\(files.ca)"
        let snapshot = try await SnapshotFixture(uri: trusted, collections: ["none"]).snapshot()
        #expect(try snapshot.check("none").missing)
        #expect(snapshot.serverVersion != nil)

        let untrusted = try SnapshotFixture(
            uri: "mongodb://127.0.0.1:\(mongo.port)/?tls=true", collections: ["none"],
            extra: ["TASTER_MONGO_WAIT": "2s"])
        let started = ContinuousClock.now
        let error = try await #require(throws: MongoError.self) { try await untrusted.snapshot() }
        #expect(error.kind == .tls)
        #expect(error.exitCode == .dependency)
        #expect(error.description.contains("TLS handshake with MongoDB at 127.0.0.1:\(mongo.port) failed"))
        #expect(error.description.contains("certificate verify failed"))
        #expect(error.description.contains("tlsCAFile"))
        #expect(ContinuousClock.now - started < .seconds(6), "a TLS failure does not wait for TASTER_MONGO_WAIT to pass again")

        let missingFile = try SnapshotFixture(
            uri: "mongodb://127.0.0.1:\(mongo.port)/?tls=true&tlsCAFile=/nonexistent/ca.pem",
            collections: ["none"])
        let configuration = try await #require(throws: ConfigurationError.self) { try await missingFile.snapshot() }
        #expect(configuration.exitCode == .usage)
        #expect(configuration.description.contains("\"/nonexistent/ca.pem\" is not a readable file"))
    }

    // MARK: Waiting

    @Test("a database that starts 5 s after taster: it waits, then passes")
    func lateStart() async throws {
        let port = TCPProbe.freePort()
        // 1 s attempts, so some surely fail before the database is up (with the default 5 s, a
        // first attempt that started late on a busy machine could span the start and log nothing).
        let fixture = try SnapshotFixture(
            uri: "mongodb://127.0.0.1:\(port)/?serverSelectionTimeoutMS=1000", collections: ["none"],
            extra: ["TASTER_MONGO_WAIT": "40s"])
        let started = ContinuousClock.now
        async let snapshot = fixture.snapshot()
        try await Task.sleep(for: .seconds(5))
        let mongo = try await PrivateMongo.start(port: port)
        let result = try await snapshot
        let waited = ContinuousClock.now - started
        #expect(try result.check("none").missing)
        #expect(waited >= .seconds(5))
        #expect(waited < .seconds(20))
        #expect(fixture.sink.written.contains { $0.contains("waiting for MongoDB") && $0.contains("127.0.0.1:\(port)") })
        #expect(fixture.sink.written.contains { $0.contains("MongoDB accepts connections") })
        withExtendedLifetime(mongo) {}
    }

    @Test("a database that never comes up: exit 3 within the wait, naming host and last error")
    func neverUp() async throws {
        let port = TCPProbe.freePort()
        let fixture = try SnapshotFixture(uri: "mongodb://127.0.0.1:\(port)/", collections: ["none"], extra: ["TASTER_MONGO_WAIT": "3s"])
        let started = ContinuousClock.now
        let error = try await #require(throws: MongoWaitError.self) { try await fixture.snapshot() }
        let elapsed = ContinuousClock.now - started
        #expect(elapsed >= .seconds(3))
        #expect(elapsed < .seconds(10))
        #expect(error.exitCode == .dependency)
        #expect(error.lastError.kind == .unreachable)
        #expect(error.description.hasPrefix("MongoDB at 127.0.0.1:\(port) did not accept connections within "))
        #expect(error.description.contains("TASTER_MONGO_WAIT=3s"))
        #expect(error.description.contains("last error: could not reach MongoDB"))
    }

    @Test("the deadline ends the wait when it is shorter than TASTER_MONGO_WAIT")
    func deadlineEndsWait() async throws {
        let port = TCPProbe.freePort()
        let fixture = try SnapshotFixture(uri: "mongodb://127.0.0.1:\(port)/", collections: ["none"])
        let started = ContinuousClock.now
        let error = try await #require(throws: MongoWaitError.self) { try await fixture.snapshot(deadline: .seconds(2)) }
        // TASTER_MONGO_WAIT (2 min by default) would be far longer; room for a busy machine.
        #expect(ContinuousClock.now - started < .seconds(10))
        #expect(error.deadlineReached)
        #expect(error.description.contains("TASTER_DEADLINE"))
    }

    @Test("cancelling the task ends the wait promptly")
    func cancellation() async throws {
        let port = TCPProbe.freePort()
        let fixture = try SnapshotFixture(uri: "mongodb://127.0.0.1:\(port)/", collections: ["none"])
        let task = Task { try await fixture.snapshot() }
        try await Task.sleep(for: .seconds(1))
        let started = ContinuousClock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(ContinuousClock.now - started < .seconds(6), "at most one attempt (5 s) finishes after cancellation")
    }

    // MARK: Fail points

    /// A private SecantusDB with test commands, `count` documents in a collection, and a
    /// `failCommand` fail point on aggregate (what countDocuments runs).
    func failingServer(times: Int, count: Int) async throws -> (PrivateMongo, String) {
        let mongo = try await PrivateMongo.start(testCommands: true)
        let collection = TestStack.uniqueName("fail")
        try await PyMongo.run(
            """
            db["\(collection)"].insert_many([{"i": i} for i in range(\(count))])
            client.admin.command("configureFailPoint", "failCommand", mode={"times": \(times)},
                                 data={"failCommands": ["aggregate"], "closeConnection": True})
            """, uri: mongo.uri, database: "pxbbq")
        return (mongo, collection)
    }

    @Test("a connection closed once during aggregate: libmongoc's retryable read recovers")
    func retryableReadRecovers() async throws {
        let (mongo, collection) = try await failingServer(times: 1, count: 7)
        let snapshot = try await SnapshotFixture(uri: mongo.uri, collections: [collection]).snapshot()
        #expect(try snapshot.check(collection).value == .int64(7))
    }

    @Test("a connection closed twice (libmongoc's retry too): taster measures the check once more")
    func twoFailuresMeasuredAgain() async throws {
        let (mongo, collection) = try await failingServer(times: 2, count: 7)
        let snapshot = try await SnapshotFixture(uri: mongo.uri, collections: [collection]).snapshot()
        #expect(try snapshot.check(collection).value == .int64(7))
    }

    @Test("a connection closed four times (both measurements and their retries): exit 3 with the error named")
    func fourFailuresFail() async throws {
        let (mongo, collection) = try await failingServer(times: 4, count: 7)
        let error = try await #require(throws: MongoError.self) {
            try await SnapshotFixture(uri: mongo.uri, collections: [collection]).snapshot()
        }
        #expect(error.exitCode == .dependency)
        #expect(error.kind == .connectionLost)
        #expect(error.description.hasPrefix("the connection to MongoDB at 127.0.0.1:\(mongo.port) was lost during count of pxbbq.\(collection)"))
        #expect(error.description.contains("retried"))
    }

    @Test("a count's document index the server refuses to read costs the evidence, never the count")
    func refusedIndexRead() async throws {
        let mongo = try await PrivateMongo.start(testCommands: true)
        let collection = TestStack.uniqueName("refused")
        try await PyMongo.run(
            """
            db["\(collection)"].insert_many([{"i": i} for i in range(5)])
            client.admin.command("configureFailPoint", "failCommand", mode="alwaysOn",
                                 data={"failCommands": ["find"], "errorCode": 292})
            """, uri: mongo.uri, database: "pxbbq")
        let checks = """
            checks:
              - {name: counted, kind: count, collection: \(collection), evidence: documents}
            """
        let fixture = try SnapshotFixture(uri: mongo.uri, collections: [], checks: checks)
        let source = try MongoSnapshotSource(settings: try fixture.settings, logger: fixture.logger)
        let measured = try await source.snapshot(asOf: nil, refusingMissing: false, evidence: EvidencePolicy(), deadline: Deadline(budget: .seconds(60)))
        #expect(try measured.snapshot.check("counted").value == .int64(5))
        guard case .skipped(let reason) = measured.indexes["counted"] else {
            Issue.record("the index was not skipped: \(String(describing: measured.indexes["counted"]))")
            return
        }
        #expect(reason.contains("refused to read the _ids"))
        withExtendedLifetime(mongo) {}
    }

    @Test("a query the server holds: the deadline ends the snapshot on time, and the pool outlives the abandoned call")
    func heldQueryMeetsTheDeadline() async throws {
        let mongo = try await PrivateMongo.start(testCommands: true)
        let collection = TestStack.uniqueName("held")
        try await PyMongo.run(
            """
            db["\(collection)"].insert_many([{"i": i} for i in range(3)])
            client.admin.command("configureFailPoint", "failCommand", mode="alwaysOn",
                                 data={"failCommands": ["aggregate"], "blockConnection": True, "blockTimeMS": 6000})
            """, uri: mongo.uri, database: "pxbbq")
        let started = ContinuousClock.now
        let error = try await #require(throws: DeadlineExceededError.self) {
            try await SnapshotFixture(uri: mongo.uri, collections: [collection]).snapshot(deadline: .seconds(2))
        }
        // Before, the socket timeout (what was left of the deadline + 5 s), twice with the retry.
        #expect(started.duration(to: .now) < .seconds(5.5), "the snapshot outlived its deadline")
        #expect(error.description.contains("during the snapshot (check \"\(collection)\")"), "\(error)")
        // The held call ends on its thread later; the pool it used goes with it, not under it.
        try await Task.sleep(for: .seconds(5))
    }

    // MARK: The command

    @Test("`taster snapshot` prints the table, or JSON that decodes as a Snapshot")
    func command() async throws {
        let collection = TestStack.uniqueName("cli")
        try await PyMongo.run("db[\"\(collection)\"].insert_many([{\"v\": i} for i in range(4)])")
        let folder = try TemporaryDirectory()
        let checks = folder.path("checks.yaml")
        try "checks:\n  - {name: total, kind: sum, collection: \(collection), field: v}\n".write(to: checks, atomically: true, encoding: .utf8)
        let environment = [
            "MONGODB_URI": try TestStack.mongoURI, "TASTER_DATABASE": try TestStack.database,
            "TASTER_COLLECTIONS": collection, "TASTER_CHECKS": checks.path,
        ]
        let table = try await TasterBinary.run(["snapshot"], environment: environment)
        #expect(table.status == 0, "\(table.stderr)")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("snapshot of database pxbbq: MongoDB 8.2.11, taken ") == true)
        #expect(lines.contains { $0.hasPrefix("CHECK") && $0.contains("VALUE") && $0.contains("RULE") })
        #expect(lines.contains { $0.hasPrefix(collection) && $0.contains("count") && $0.contains(" 4 ") })
        #expect(lines.contains { $0.hasPrefix("total") && $0.contains("sum") && $0.contains(" 6 ") })
        #expect(!table.stdout.contains(try TestStack.value("TESTENV_MONGO_PASSWORD")))

        let json = try await TasterBinary.run(["snapshot", "--output", "json"], environment: environment)
        #expect(json.status == 0, "\(json.stderr)")
        let snapshot = try JSONDecoder().decode(Snapshot.self, from: Data(json.stdout.utf8))
        #expect(try snapshot.check("total").value == .int64(6))

        let badChecks = try await TasterBinary.run(["snapshot", "--checks", "/nonexistent.yaml"], environment: environment)
        #expect(badChecks.status == 2)
        _ = try? await PyMongo.run("db.drop_collection(\"\(collection)\")")
    }
}
