import TasterCMongoC
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSupport

/// What taster adds to the user's connection string, and what it leaves alone.
@Suite("MongoDB connector")
struct MongoConnectorTests {
    func configured(_ uri: String, deadline: Duration = .seconds(900)) throws -> MongoURI {
        try MongoConnector(uri: uri, deadline: Deadline(budget: deadline)).configuredURI()
    }

    @Test("appname=taster/<version> is added unless the user set one")
    func appname() throws {
        #expect(try configured("mongodb://127.0.0.1/").appname == "taster/\(TasterVersion.current)")
        #expect(try configured("mongodb://127.0.0.1/?appname=mine").appname == "mine")
    }

    @Test("timeouts default to 30 s selection, 10 s connect, and the deadline bounds them all")
    func timeouts() throws {
        let defaults = try configured("mongodb://127.0.0.1/")
        #expect(defaults.int32(MONGOC_URI_SERVERSELECTIONTIMEOUTMS) == 30_000)
        #expect(defaults.int32(MONGOC_URI_CONNECTTIMEOUTMS) == 10_000)
        #expect((900_000...905_000).contains(defaults.int32(MONGOC_URI_SOCKETTIMEOUTMS) ?? 0))

        let user = try configured("mongodb://127.0.0.1/?serverSelectionTimeoutMS=2000&connectTimeoutMS=500&socketTimeoutMS=60000")
        #expect(user.int32(MONGOC_URI_SERVERSELECTIONTIMEOUTMS) == 2000)
        #expect(user.int32(MONGOC_URI_CONNECTTIMEOUTMS) == 500)
        #expect(user.int32(MONGOC_URI_SOCKETTIMEOUTMS) == 60_000)

        let short = try configured("mongodb://127.0.0.1/?serverSelectionTimeoutMS=60000&socketTimeoutMS=0", deadline: .seconds(3))
        #expect((1...3000).contains(short.int32(MONGOC_URI_SERVERSELECTIONTIMEOUTMS) ?? 0))
        #expect((1...3000).contains(short.int32(MONGOC_URI_CONNECTTIMEOUTMS) ?? 0))
        #expect((1...8000).contains(short.int32(MONGOC_URI_SOCKETTIMEOUTMS) ?? 0), "socketTimeoutMS=0 (none) is bounded too")
    }

    @Test("an unparsable URI is an exit-2 error that does not repeat the password")
    func invalidURI() throws {
        let error = try #require(throws: MongoError.self) { try configured("mongodb://user:secretpw@127.0.0.1:99999/") }
        #expect(error.kind == .invalidURI)
        #expect(error.exitCode == .usage)
        #expect(!error.description.contains("secretpw"))
    }
}
