import TasterCMongoC
import TasterSupport

/// A libmongoc or libbson failure, classified so a person knows what failed, on which host, and
/// what to try. Made in one place only: `MongoError.init(_:origin:operation:host:)`.
///
/// Never holds a password: libmongoc's message is scrubbed by `SecretRedactor` when the error is
/// made, and the host is the URI's host list without user info.
package struct MongoError: TasterError, Equatable {
    /// What kind of failure, decided from libmongoc's error domain and code.
    package enum Kind: String, Sendable, Equatable {
        /// No connection: refused, name resolution, server selection timed out.
        case unreachable
        /// The TLS handshake failed (untrusted certificate, wrong host name, no client certificate).
        case tls
        /// Wrong user, password, authSource or mechanism.
        case authentication
        /// Authenticated, but the user may not run this command.
        case authorization
        /// A server-side time limit (maxTimeMS) or a socket timeout.
        case timeout
        /// The connection broke during the operation (after libmongoc's one retry of a read).
        case connectionLost
        /// The server refused the command as malformed: a filter or pipeline of a check.
        case rejected
        /// Any other error the server answered with.
        case server
        /// The connection string does not parse.
        case invalidURI
        /// Extended JSON (a filter or pipeline) does not parse.
        case invalidJSON
        /// A client-side failure of libmongoc (protocol, cursor, pool).
        case client
    }

    /// Where the `bson_error_t` came from: domains and codes mean different things in libbson's
    /// JSON reader, libmongoc's URI parser and libmongoc's operations.
    package enum Origin: Sendable {
        case operation
        case uri
        case json
    }

    package let kind: Kind
    /// What taster was doing, e.g. `count pxbbq.orders (check "orders")`.
    package let operation: String
    /// The URI's host list, e.g. `mongo.pxbbq.svc:27017`; nil for parsing errors.
    package let host: String?
    package let domain: UInt32
    package let code: UInt32
    /// libmongoc's own message, scrubbed of secrets.
    package let detail: String

    package var exitCode: TasterExitCode {
        switch kind {
        case .invalidURI, .invalidJSON, .rejected: .usage
        default: .dependency
        }
    }

    /// Whether waiting longer cannot help: the credentials, certificates or URI are wrong.
    package var isPermanent: Bool {
        switch kind {
        case .authentication, .authorization, .tls, .invalidURI, .invalidJSON, .rejected: true
        default: false
        }
    }

    package var description: String {
        let at = host.map { " at \($0)" } ?? ""
        let what: String
        let advice: String
        switch kind {
        case .unreachable:
            what = "could not reach MongoDB\(at)"
            advice = "check that MongoDB is running and that the host and port are reachable from here (service name, port, network policy)"
        case .tls:
            what = "the TLS handshake with MongoDB\(at) failed"
            advice =
                "check tlsCAFile in the connection string (the CA that signed the server's certificate; without it only the system CAs are trusted), "
                + "that the certificate names this host, and tlsCertificateKeyFile if the server requires a client certificate"
        case .authentication:
            what = "MongoDB\(at) refused the credentials"
            advice =
                "check the user and password (MONGO_USER/MONGO_PASS, or the user info of MONGODB_URI, percent-escaped), "
                + "authSource (the database the user was created in, usually admin) and authMechanism"
        case .authorization:
            what = "MongoDB\(at) denied the command to this user"
            advice = "taster only reads: give the user the built-in read role on the database"
        case .timeout:
            what = "MongoDB\(at) did not answer in time"
            advice = "the server may be overloaded or the collection large; raise TASTER_DEADLINE or narrow the check"
        case .connectionLost:
            what = "the connection to MongoDB\(at) was lost"
            advice = "the read was already retried; check the server's health and logs, then run again"
        case .rejected:
            what = "MongoDB\(at) rejected the command as malformed (code \(code))"
            advice = "fix the check's filter, field or pipeline in the checks file (TASTER_CHECKS)"
        case .server:
            what = "MongoDB\(at) answered with error code \(code)"
            advice = "see the server's message; run again when the server is healthy"
        case .invalidURI:
            what = "the MongoDB connection string is invalid"
            advice = "check MONGODB_URI (user and password must percent-escape @ : / % ?), or use MONGO_NODE/MONGO_USER/MONGO_PASS"
        case .invalidJSON:
            what = "not valid extended JSON"
            advice = "write filters and pipelines as extended JSON or as YAML mappings, e.g. {status: paid} or {\"$date\": \"2024-01-01T00:00:00Z\"}"
        case .client:
            what = "libmongoc failed talking to MongoDB\(at)"
            advice = "run again; if it persists, report it with the message"
        }
        return "\(what) during \(operation): \(detail); \(advice)"
    }
}

extension MongoError {
    /// The one place a `bson_error_t` becomes a Swift error.
    package init(_ error: bson_error_t, origin: Origin = .operation, operation: String, host: String?) {
        var error = error
        let message = withUnsafeBytes(of: &error.message) { bytes in
            String(decoding: bytes.prefix(while: { $0 != 0 }), as: UTF8.self)
        }
        self.init(
            kind: Self.classify(domain: error.domain, code: error.code, message: message, origin: origin),
            operation: operation, host: host, domain: error.domain, code: error.code,
            detail: SecretRedactor.shared.scrub(message.isEmpty ? "no message (domain \(error.domain), code \(error.code))" : message))
    }

    /// Server error codes that mean "your command is malformed", not "the server is unwell".
    static let rejectedCodes: Set<UInt32> = [
        2, // BadValue
        9, // FailedToParse
        14, // TypeMismatch
        16, // InvalidLength
        40, // ConflictingUpdateOperators / path collisions in projections
        168, // InvalidPipelineOperator
        15952, // unknown group operator
        16410, // field path must not start with $
        17276, // use of undefined variable
        31249, // path collision in a projection
        40323, // a pipeline stage must have exactly one field
        40324, // unrecognized pipeline stage name
        51024, // $in needs an array
    ]

    /// Server error codes that mean the server is (re)starting or stepping down: unreachable for now.
    static let unavailableCodes: Set<UInt32> = [
        6, 7, 89, 91, 189, 9001, 10107, 11600, 11602, 13435, 13436,
    ]

    static func classify(domain: UInt32, code: UInt32, message: String, origin: Origin) -> Kind {
        switch origin {
        case .json: return .invalidJSON
        case .uri: return .invalidURI
        case .operation: break
        }
        let lowered = message.lowercased()
        let mentionsTLS = lowered.contains("tls") || lowered.contains("ssl") || lowered.contains("certificate")
        switch domain {
        case MONGOC_ERROR_CLIENT.rawValue:
            switch code {
            case MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue: return .authentication
            case MONGOC_ERROR_CLIENT_NO_ACCEPTABLE_PEER.rawValue: return .tls
            default: return mentionsTLS ? .tls : .client
            }
        case MONGOC_ERROR_SASL.rawValue, MONGOC_ERROR_SCRAM.rawValue:
            return .authentication
        case MONGOC_ERROR_STREAM.rawValue:
            if mentionsTLS { return .tls }
            switch code {
            case MONGOC_ERROR_STREAM_NAME_RESOLUTION.rawValue, MONGOC_ERROR_STREAM_CONNECT.rawValue: return .unreachable
            case MONGOC_ERROR_STREAM_SOCKET.rawValue: return lowered.contains("timed out") ? .timeout : .connectionLost
            default: return .connectionLost
            }
        case MONGOC_ERROR_SERVER_SELECTION.rawValue:
            // A pool's background monitor reports why it could not connect inside this message.
            if mentionsTLS { return .tls }
            if lowered.contains("authentication failed") { return .authentication }
            return .unreachable
        case MONGOC_ERROR_SERVER.rawValue, MONGOC_ERROR_QUERY.rawValue, MONGOC_ERROR_WRITE_CONCERN.rawValue:
            switch code {
            case 18: return .authentication // AuthenticationFailed
            case 13: return .authorization // Unauthorized
            case 50, 262: return .timeout // MaxTimeMSExpired, ExceededTimeLimit
            case _ where rejectedCodes.contains(code): return .rejected
            case _ where unavailableCodes.contains(code): return .unreachable
            default: return .server
            }
        default:
            return .client
        }
    }
}
