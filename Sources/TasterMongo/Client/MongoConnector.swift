import FoundationEssentials
import Logging
import TasterCMongoC
import TasterCore
import TasterSupport

/// How taster connects to MongoDB: the user's connection string plus what taster adds to it —
/// `appname=taster/<version>` and timeouts bounded by the run's deadline — unless the user set
/// them. Makes the pools; never prints the connection string (it holds the password).
package struct MongoConnector: Sendable {
    private let uri: Secret
    package let deadline: Deadline
    /// The host list, for messages.
    package let host: String

    /// How long one server selection may take when the user did not set `serverSelectionTimeoutMS`.
    package static let defaultSelectionTimeout: Duration = .seconds(30)
    package static let defaultConnectTimeout: Duration = .seconds(10)
    /// What the socket timeout adds to the deadline, so the server's own maxTimeMS error (which
    /// says what timed out) arrives before the socket gives up.
    static let socketGrace: Duration = .seconds(5)

    package init(uri: String, deadline: Deadline) {
        self.init(uri: Secret(uri, origin: "MONGODB_URI"), deadline: deadline)
    }

    package init(uri: Secret, deadline: Deadline) {
        self.uri = uri
        self.deadline = deadline
        self.host = ConnectionString(uri.revealed)?.hosts ?? "MongoDB"
    }

    package init(settings: MongoSettings, deadline: Deadline) throws(ConfigurationError) {
        guard let uri = settings.uri else {
            throw ConfigurationError(
                variable: "MONGODB_URI", problem: "is not set (nor MONGO_NODE): taster needs to know where MongoDB is",
                example: "MONGODB_URI=mongodb://taster:PASSWORD@mongo.pxbbq.svc:27017/?authSource=admin")
        }
        self.init(uri: uri, deadline: deadline)
    }

    /// A pool whose server selection gives up after the URI's `serverSelectionTimeoutMS` (else
    /// 30 s), never later than the deadline.
    package func makePool() throws -> MongoClientPool {
        try makePool(selectionTimeout: nil)
    }

    /// A pool for one attempt of the wait: selection bounded by the URI's
    /// `serverSelectionTimeoutMS` (else 5 s) and by `waitEnd`.
    func makePool(waitingUntil waitEnd: ContinuousClock.Instant) throws -> MongoClientPool {
        try makePool(selectionTimeout: { userSelection in
            min(userSelection ?? Self.waitAttemptTimeout, max(ContinuousClock.now.duration(to: waitEnd), .milliseconds(1)))
        })
    }

    /// `selectionTimeout` gets the URI's `serverSelectionTimeoutMS`, if set, and returns the one to use.
    private func makePool(selectionTimeout: ((Duration?) -> Duration)?) throws -> MongoClientPool {
        try MongoClientPool(uri: configuredURI(selectionTimeout: selectionTimeout))
    }

    /// The user's URI with what taster adds unless the user set it: `appname=taster/<version>`,
    /// `serverSelectionTimeoutMS` (30 s), `connectTimeoutMS` (10 s, at most the selection
    /// timeout), and `socketTimeoutMS` — each bounded by what is left of the deadline.
    package func configuredURI(selectionTimeout: ((Duration?) -> Duration)? = nil) throws -> MongoURI {
        let parsed = try MongoURI(uri.revealed)
        try checkFiles(of: parsed)
        if parsed.appname == nil {
            parsed.appname = "taster/\(TasterVersion.current)"
        }
        let remaining = max(deadline.remaining, .milliseconds(1))
        let userSelection = parsed.int32(MONGOC_URI_SERVERSELECTIONTIMEOUTMS).map { Duration.milliseconds(Int64($0)) }
        let selection = min(selectionTimeout?(userSelection) ?? userSelection ?? Self.defaultSelectionTimeout, remaining)
        parsed.set(MONGOC_URI_SERVERSELECTIONTIMEOUTMS, Self.milliseconds(selection))
        let userConnect = parsed.int32(MONGOC_URI_CONNECTTIMEOUTMS).map { Duration.milliseconds(Int64($0)) }
        parsed.set(MONGOC_URI_CONNECTTIMEOUTMS, Self.milliseconds(min(userConnect ?? Self.defaultConnectTimeout, selection)))
        let socket = remaining + Self.socketGrace
        let userSocket = parsed.int32(MONGOC_URI_SOCKETTIMEOUTMS).flatMap { $0 > 0 ? Duration.milliseconds(Int64($0)) : nil }
        parsed.set(MONGOC_URI_SOCKETTIMEOUTMS, Self.milliseconds(min(userSocket ?? socket, socket)))
        return parsed
    }

    static func milliseconds(_ duration: Duration) -> Int32 {
        Int32(clamping: max(duration.milliseconds, 1))
    }

    /// TLS files named in the URI must be readable: say so (exit 2) instead of a handshake error.
    private func checkFiles(of parsed: MongoURI) throws(ConfigurationError) {
        let problems = parsed.unreadableTLSFiles.map {
            ConfigurationProblem(
                variable: "MONGODB_URI", problem: $0,
                example: "MONGODB_URI=mongodb://mongo.pxbbq.svc/?tls=true&tlsCAFile=/etc/taster/mongo-ca.pem")
        }
        if !problems.isEmpty { throw ConfigurationError(problems) }
    }
}
