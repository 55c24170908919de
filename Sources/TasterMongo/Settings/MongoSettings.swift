import TasterCore
import TasterSupport

/// How to reach MongoDB and what to measure there.
package struct MongoSettings: Sendable {
    /// Where the connection came from.
    package enum Connection: Sendable, Equatable {
        /// `MONGODB_URI`, as given.
        case uri(Secret)
        /// The original demo's `MONGO_NODE`, `MONGO_PORT`, `MONGO_USER`, `MONGO_PASS`.
        case parts(host: String, port: Int, user: String?, password: Secret?)
    }

    /// Nil when neither `MONGODB_URI` nor `MONGO_NODE` is set.
    package var connection: Connection?
    package var database: String
    package var collections: [String]
    /// Path of the optional checks file (`TASTER_CHECKS`), read with the settings of the run
    /// (`Settings`: a command may need the file without MongoDB).
    package var checksFile: String?
    /// How long to wait for MongoDB to accept connections (`TASTER_MONGO_WAIT`), inside the deadline.
    package var wait: Duration

    package static let defaultDatabase = "pxbbq"
    package static let defaultCollections = ["orders", "registrations"]
    package static let defaultWait: Duration = .seconds(120)

    /// The connection string, with user and password percent-escaped for the `MONGO_*` spelling:
    /// a secret, as it holds the password.
    package var uri: Secret? {
        switch connection {
        case nil:
            return nil
        case .uri(let uri):
            return uri
        case .parts(let host, let port, let user, let password):
            var userInfo = ""
            if let user {
                userInfo = PercentEncoding.escapeUserInfo(user)
                if let password { userInfo += ":" + PercentEncoding.escapeUserInfo(password.revealed) }
                userInfo += "@"
            }
            let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
            return Secret("mongodb://\(userInfo)\(hostPart):\(port)/", origin: "MONGO_PASS")
        }
    }

    /// The password these settings give: `MONGO_PASS`, or `MONGODB_URI`'s (percent-decoded).
    /// Nil when they give none.
    package var password: Secret? {
        switch connection {
        case .parts(_, _, _, let password?):
            return password
        case .uri(let uri):
            guard let escaped = ConnectionString(uri.revealed)?.credentials?.password, !escaped.isEmpty else { return nil }
            return Secret(PercentEncoding.decode(escaped) ?? escaped, origin: "the password in MONGODB_URI")
        default:
            return nil
        }
    }

    /// The connection string as it may be shown: by `ConnectionString`'s allow-list.
    package var redactedURI: String? { uri.flatMap { ConnectionString($0.revealed)?.display } }
}

extension MongoSettings {
    package static func read(_ reader: inout SettingsReader) -> MongoSettings {
        let env = reader.environment
        var connection: Connection?
        if let uri = reader.secret(["MONGODB_URI"])?.value.trimmingSpaces() {
            connection = readURI(uri, &reader)
        } else if let host = reader.string("MONGO_NODE") {
            if host.contains("@") || host.contains("://") {
                // It may hold user info: not shown.
                reader.fail(
                    "MONGO_NODE",
                    "is not a host name: it looks like a connection string (value not shown: it may hold a password); "
                        + "give the URI in MONGODB_URI instead, or the user and password in MONGO_USER and MONGO_PASS",
                    example: "MONGO_NODE=mongo.pxbbq.svc")
            } else if host.contains("/") || host.contains(" ") || host.hasPrefix("mongodb") {
                reader.fail("MONGO_NODE", "\"\(host)\" is not a host name (give the URI in MONGODB_URI instead)", example: "MONGO_NODE=mongo.pxbbq.svc")
            }
            var port = 27017
            if let text = reader.string("MONGO_PORT") {
                if let value = Int(text), (1...65535).contains(value) {
                    port = value
                } else {
                    reader.fail("MONGO_PORT", "\"\(text)\" is not a TCP port (1-65535)", example: "MONGO_PORT=27017")
                }
            }
            let user = env["MONGO_USER"]
            let password = env["MONGO_PASS"].map { Secret.registered($0, origin: "MONGO_PASS") }
            if password != nil && user == nil {
                reader.fail("MONGO_USER", "is missing while MONGO_PASS is set", example: "MONGO_USER=taster")
            }
            if user != nil && password == nil {
                reader.fail("MONGO_PASS", "is missing while MONGO_USER is set", example: "MONGO_PASS=<the user's password>")
            }
            connection = .parts(host: host, port: port, user: user, password: password)
        }

        var database = defaultDatabase
        if let name = reader.string("TASTER_DATABASE") {
            if NameRules.isValidDatabaseName(name) {
                database = name
            } else {
                reader.fail(
                    "TASTER_DATABASE", "\"\(name)\" is not a valid MongoDB database name (no / \\ . \" $ space, under 64 bytes)",
                    example: "TASTER_DATABASE=pxbbq")
            }
        }

        var collections = defaultCollections
        if let list = reader.string("TASTER_COLLECTIONS") {
            let names = list.split(separator: ",", omittingEmptySubsequences: false).map { String($0).trimmingSpaces() }
            if names == [SnapshotPlan.everyCollection] {
                // Every collection the database has at snapshot time, each counted exactly.
                collections = names
            } else if names.contains(where: { !NameRules.isValidCollectionName($0) }) {
                reader.fail(
                    "TASTER_COLLECTIONS", "\"\(list)\" must be a comma-separated list of collection names (none empty, no $), or * for every collection",
                    example: "TASTER_COLLECTIONS=orders,registrations")
            } else if Set(names).count != names.count {
                reader.fail("TASTER_COLLECTIONS", "\"\(list)\" names a collection twice", example: "TASTER_COLLECTIONS=orders,registrations")
            } else {
                collections = names
            }
        }

        let wait = reader.duration("TASTER_MONGO_WAIT", default: defaultWait, example: "2m")
        return MongoSettings(
            connection: connection, database: database, collections: collections,
            checksFile: nil, wait: wait)
    }

    /// `MONGODB_URI`, checked before anything is touched: its scheme, its host, its user info
    /// (percent-escaped, or libmongoc reads a password's `@2024-secret@host` as the host, waits
    /// the whole `TASTER_MONGO_WAIT` and echoes the piece), and what libmongoc finds wrong.
    /// Registers the password and the values of options that may be secrets before any check
    /// can print a message.
    static func readURI(_ uri: String, _ reader: inout SettingsReader) -> Connection? {
        let example = "MONGODB_URI=mongodb://taster:PASSWORD@mongo.pxbbq.svc:27017/?authSource=admin"
        let parsed = ConnectionString(uri)
        // The password (with its pieces and the parts an unescaped `@` cuts it into), never the
        // user name: it is no secret, and withholding every line that names it would hide all.
        if let password = parsed?.credentials?.password {
            SecretRedactor.shared.register(password, origin: "MONGODB_URI's password")
            SecretRedactor.shared.register(PercentEncoding.decode(password), origin: "MONGODB_URI's password")
        }
        for value in parsed?.unsafeOptionValues ?? [] {
            SecretRedactor.shared.register(value, origin: "an option of MONGODB_URI")
            SecretRedactor.shared.register(PercentEncoding.decode(value), origin: "an option of MONGODB_URI")
        }
        guard let parsed, uri.hasPrefix("mongodb://") || uri.hasPrefix("mongodb+srv://") else {
            reader.fail("MONGODB_URI", "must start with mongodb:// or mongodb+srv:// (value not shown: it may hold a password)", example: example)
            return nil
        }
        if let problem = parsed.userInfoProblem {
            reader.fail("MONGODB_URI", "\(problem) (value not shown: it holds a password); \(ConnectionString.escapingAdvice)", example: example)
            return nil
        }
        if parsed.hosts.isEmpty {
            reader.fail("MONGODB_URI", "has no host", example: "MONGODB_URI=mongodb://mongo.pxbbq.svc:27017/")
            return nil
        }
        if let problem = parseProblem(uri) {
            reader.fail("MONGODB_URI", problem, example: example)
            return nil
        }
        return .uri(Secret(uri, origin: "MONGODB_URI"))
    }

    /// What libmongoc finds wrong with the connection string, or with a TLS file it names: found
    /// here, not when pre-taste connects after scaling the app up.
    static func parseProblem(_ uri: String) -> String? {
        let parsed: MongoURI
        do {
            parsed = try MongoURI(uri)
        } catch {
            return "does not parse: \(error.detail) (value not shown: it may hold a password)"
        }
        return parsed.unreadableTLSFiles.first
    }
}
