import FoundationEssentials
import TasterCPQ
import TasterCore
import TasterSupport

/// How to reach PostgreSQL and what to measure there: `DATABASE_URL` (a `postgres://` or
/// `postgresql://` URI), or the standard libpq variables (`PGHOST`, `PGPORT`, `PGDATABASE`,
/// `PGUSER`, `PGPASSWORD`, `PGSSLMODE`, `PGSSLROOTCERT`, `PGSERVICE`, `PGPASSFILE`). Every password
/// these hold (the URI's user info or `password=` option, `PGPASSWORD`, the passfile's lines) is
/// registered with the scrubber before anything can print it.
package struct PostgresSettings: Sendable {
    /// Where the connection came from.
    package enum Connection: Sendable, Equatable {
        /// `DATABASE_URL`, as given.
        case url(Secret)
        /// The libpq variables that were set, by libpq keyword (`host`, `port`, `dbname`...);
        /// the password apart.
        case variables([String: String], password: Secret?)
    }

    package var connection: Connection
    /// The schema of tables named without one (`orders` is `public.orders`).
    package var schema: String
    /// `TASTER_COLLECTIONS`: the tables whose exact row count is always taken.
    package var tables: [String]
    /// `TASTER_CHECKS`.
    package var checksFile: String?
    /// How long to wait for PostgreSQL to accept connections (`TASTER_MONGO_WAIT`, which is the
    /// database's wait whatever the engine).
    package var wait: Duration

    package static let defaultSchema = "public"

    /// The variables that mean PostgreSQL, and the libpq keyword each sets.
    package static let variables: [(name: String, keyword: String)] = [
        ("PGHOST", "host"), ("PGHOSTADDR", "hostaddr"), ("PGPORT", "port"), ("PGDATABASE", "dbname"), ("PGUSER", "user"),
        ("PGPASSWORD", "password"), ("PGSSLMODE", "sslmode"), ("PGSSLROOTCERT", "sslrootcert"), ("PGSSLCERT", "sslcert"),
        ("PGSSLKEY", "sslkey"), ("PGSERVICE", "service"), ("PGPASSFILE", "passfile"),
    ]

    /// The names that, when set, choose PostgreSQL: `DATABASE_URL` and the libpq variables.
    package static var selectingNames: [String] { ["DATABASE_URL"] + variables.map(\.name) }

    /// The password these settings give libpq: `DATABASE_URL`'s (user info or `password=`
    /// option, as libpq decodes it) or `PGPASSWORD`. Nil when they give none — a passfile's or a
    /// service file's password is libpq's to choose, by host, port, database and user.
    package var password: Secret? {
        switch connection {
        case .url(let url):
            guard let value = Self.parse(url.revealed).options["password"], !value.isEmpty else { return nil }
            return Secret(value, origin: "DATABASE_URL's password")
        case .variables(_, let password):
            return password
        }
    }

    /// The connection's parameters for libpq (`PQconnectdbParams`), the password revealed: give
    /// them to libpq and nothing else.
    func parameters(connectTimeout: Duration) -> [(keyword: String, value: String)] {
        let seconds = max(2, min(Int(connectTimeout.components.seconds), 30))
        var parameters: [(keyword: String, value: String)]
        switch connection {
        case .url(let url):
            parameters = [("dbname", url.revealed)]
        case .variables(let values, let password):
            parameters = values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if let password { parameters.append(("password", password.revealed)) }
        }
        // After the URI, so these win over libpq's defaults but not over what the user set in it.
        // UTF-8 whatever the database's encoding: text keys become BSON strings, which are UTF-8.
        return [
            ("application_name", "taster"), ("client_encoding", "UTF8"), ("connect_timeout", String(seconds)), ("keepalives", "1"),
            ("keepalives_idle", "10"), ("keepalives_interval", "5"), ("keepalives_count", "3"),
        ] + parameters
    }

    /// The connection as it may be shown: `postgresql://taster@db.pxbbq.svc:5432/pxbbq?sslmode=require`,
    /// with the password and any option not known to be safe left out.
    package var display: String {
        let options: [String: String]
        switch connection {
        case .url(let url): options = Self.parse(url.revealed).options
        case .variables(let values, _): options = values
        }
        let user = options["user"].map { PercentEncoding.escapeUserInfo($0) + "@" } ?? ""
        let host = options["host"] ?? options["hostaddr"] ?? (options["service"].map { "service=\($0)" } ?? "localhost")
        let port = options["port"].map { ":" + $0 } ?? ""
        let database = options["dbname"].map { "/" + $0 } ?? ""
        let query = Self.safeOptions.compactMap { key in options[key].map { "\(key)=\($0)" } }
        return "postgresql://\(user)\(host)\(port)\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }

    /// Options shown by `display`: they hold paths and modes, never secrets.
    static let safeOptions = ["sslmode", "sslrootcert", "sslcert", "sslkey", "service", "passfile", "connect_timeout", "target_session_attrs"]

    /// libpq's reading of a connection string (`PQconninfoParse`): the options it sets, or its
    /// complaint without what it quotes. libpq quotes the piece it could not read (a token, an
    /// option's value, or the whole URL), which may be or hold a password nobody has registered
    /// yet: the string did not parse, so its options are unknown.
    static func parse(_ conninfo: String) -> (options: [String: String], problem: String?) {
        var message: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(conninfo, &message) else {
            let problem = message.map { String(cString: $0) } ?? "libpq could not parse it"
            if let message { PQfreemem(message) }
            return ([:], SecretRedactor.shared.scrub(withoutQuoted(problem.trimmingSpaces())))
        }
        defer { PQconninfoFree(parsed) }
        var options: [String: String] = [:]
        var option = parsed
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { options[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        return (options, nil)
    }
}

extension PostgresSettings {
    /// Reads the PostgreSQL connection, or nil when neither `DATABASE_URL` nor a libpq variable is
    /// set. The tables, checks file and wait are the database settings common to both engines.
    package static func read(
        _ reader: inout SettingsReader, tables: [String], checksFile: String?, wait: Duration
    ) -> PostgresSettings? {
        let environment = reader.environment
        var connection: Connection?
        if let url = reader.secret(["DATABASE_URL"])?.value.trimmingSpaces(), !url.isEmpty {
            connection = readURL(url, &reader)
        } else {
            var values: [String: String] = [:]
            var password: Secret?
            for (name, keyword) in variables {
                guard let value = environment[name], !value.isEmpty else { continue }
                if keyword == "password" {
                    password = Secret.registered(value, origin: name)
                } else {
                    values[keyword] = value.trimmingSpaces()
                }
            }
            guard !values.isEmpty || password != nil else { return nil }
            if let port = values["port"], Int(port).map({ !(1...65535).contains($0) }) ?? true {
                reader.fail("PGPORT", "\"\(port)\" is not a TCP port (1-65535)", example: "PGPORT=5432")
            }
            if let mode = values["sslmode"], !sslModes.contains(mode) {
                reader.fail("PGSSLMODE", "\"\(mode)\" is not one of \(sslModes.joined(separator: ", "))", example: "PGSSLMODE=verify-full")
            }
            for (name, keyword) in [("PGSSLROOTCERT", "sslrootcert"), ("PGPASSFILE", "passfile")] {
                if let path = values[keyword], path != "system", !FileProbe.isReadableFile(path) {
                    reader.fail(name, "\"\(path)\" is not a readable file", example: "\(name)=/etc/taster/postgres-ca.pem")
                }
            }
            connection = .variables(values, password: password)
        }
        registerPassfile(environment)
        guard let connection else { return nil }
        return PostgresSettings(connection: connection, schema: defaultSchema, tables: tables, checksFile: checksFile, wait: wait)
    }

    static let sslModes = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"]

    /// `DATABASE_URL`, checked before anything is touched: its scheme and what libpq finds wrong.
    /// Registers the password (as written and percent-decoded, from the user info or a
    /// `password=` option) before any message can print it.
    static func readURL(_ url: String, _ reader: inout SettingsReader) -> Connection? {
        let example = "DATABASE_URL=postgresql://taster:PASSWORD@db.pxbbq.svc:5432/pxbbq?sslmode=verify-full"
        // The user info's password as written, before libpq decodes it: registered first, so even
        // a URI libpq refuses cannot print it.
        if let rest = url.split(separator: "://", maxSplits: 1).dropFirst().first,
            let at = rest.lastIndex(of: "@")
        {
            let userInfo = rest[..<at]
            if let colon = userInfo.firstIndex(of: ":") {
                let password = String(userInfo[userInfo.index(after: colon)...])
                SecretRedactor.shared.register(password, origin: "DATABASE_URL's password")
                SecretRedactor.shared.register(PercentEncoding.decode(password), origin: "DATABASE_URL's password")
            }
        }
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            reader.fail("DATABASE_URL", "must start with postgres:// or postgresql:// (value not shown: it may hold a password)", example: example)
            return nil
        }
        let (options, problem) = parse(url)
        for key in ["password", "sslpassword"] {
            if let value = options[key] { SecretRedactor.shared.register(value, origin: "DATABASE_URL's \(key)") }
        }
        if let problem {
            reader.fail("DATABASE_URL", "does not parse: \(problem) (value not shown: it may hold a password)", example: example)
            return nil
        }
        return .url(Secret(url, origin: "DATABASE_URL"))
    }

    /// The passwords of the passfile libpq would read (`PGPASSFILE`, else `~/.pgpass`): each
    /// line's last field, registered so no message can print it.
    static func registerPassfile(_ environment: Environment) {
        let path = environment["PGPASSFILE"] ?? environment["HOME"].map { $0 + "/.pgpass" }
        guard let path, let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            // host:port:database:user:password, with `\:` an escaped colon.
            var fields: [String] = []
            var current = ""
            var escaped = false
            for character in line {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == ":" && fields.count < 4 {
                    fields.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            if fields.count == 4, !current.isEmpty {
                SecretRedactor.shared.register(current, origin: "the passfile's password")
            }
        }
    }
}

extension PostgresSettings {
    /// The database's name, for logs and reports: the URI's or `PGDATABASE`, else the user's
    /// name (libpq's default), else `postgres`.
    package var databaseName: String {
        let options: [String: String]
        switch connection {
        case .url(let url): options = Self.parse(url.revealed).options
        case .variables(let values, _): options = values
        }
        return options["dbname"] ?? options["user"] ?? "postgres"
    }

    /// `invalid percent-encoded token: "…"`: every double-quoted piece of a libpq message replaced.
    static func withoutQuoted(_ message: String) -> String {
        message.split(separator: "\"", omittingEmptySubsequences: false).enumerated()
            .map { $0.offset % 2 == 1 ? "…" : String($0.element) }
            .joined(separator: "\"")
    }
}
