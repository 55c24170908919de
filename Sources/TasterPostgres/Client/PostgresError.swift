import TasterSupport

/// A libpq or server failure, classified so a person knows what failed, on which host, and what
/// to try. Made in one place only: `PostgresError.init(sqlState:message:operation:host:)`, from
/// the connection's message or a result's SQLSTATE.
///
/// Never holds a password: libpq's and the server's messages are scrubbed by `SecretRedactor`
/// when the error is made, and the host is the one libpq connected to, without user info.
package struct PostgresError: TasterError, Equatable {
    /// What kind of failure, decided from the SQLSTATE (or, before there is one, libpq's message).
    package enum Kind: String, Sendable, Equatable {
        /// No connection: refused, name resolution, timed out.
        case unreachable
        /// The TLS handshake failed, or TLS was required and not offered.
        case tls
        /// Wrong user or password, or pg_hba.conf refused the connection (28xxx).
        case authentication
        /// Authenticated, but the role may not read a table or use a schema (42501).
        case authorization
        /// The table or column does not exist (42P01, 42703).
        case undefined
        /// The server refused the SQL of a check: a `where:` or `query:` with a syntax error, a
        /// type mismatch, a write in a read-only transaction (42xxx, 22xxx, 25006).
        case rejected
        /// The statement was cancelled by the server (`query_canceled`, 57014) without taster
        /// asking: it ran past `statement_timeout`, which taster sets to what is left of the run's
        /// deadline (or an administrator cancelled it).
        case timeout
        /// Cancelled on purpose (SIGTERM): PQcancel reached the server.
        case cancelled
        /// The connection broke during the query.
        case connectionLost
        /// Any other error the server answered with.
        case server
    }

    package let kind: Kind
    /// What taster was doing, e.g. `count of public.orders (check "orders")`.
    package let operation: String
    /// `host:port` of the server; nil before a connection was made.
    package let host: String?
    /// The five-character SQLSTATE, when the server sent one.
    package let sqlState: String?
    /// libpq's or the server's own message, scrubbed of secrets.
    package let detail: String

    package var exitCode: TasterExitCode {
        switch kind {
        case .rejected, .undefined: .usage
        case .cancelled: .terminated
        default: .dependency
        }
    }

    /// `cancelRequested`: taster sent a cancel request (`PostgresCanceller`) for the statement.
    package init(sqlState: String?, message: String, operation: String, host: String?, cancelRequested: Bool = false) {
        let state = (sqlState?.isEmpty ?? true) ? nil : sqlState
        // libpq repeats a failure once per attempt (with TLS, then without): each line once.
        var lines: [Substring] = []
        for line in message.split(separator: "\n") where !lines.contains(line) { lines.append(line) }
        var text = SecretRedactor.shared.scrub(lines.joined(separator: "\n").trimmingSpaces())
        // A data exception (22) or an integrity violation (23) quotes the table's data: the value
        // that did not convert, the key that collided. Only its first line, without the quoted
        // pieces, so no row's value reaches a log, a termination message or a notification.
        if let state, state.hasPrefix("22") || state.hasPrefix("23") {
            text = PostgresSettings.withoutQuoted(String(text.prefix { $0 != "\n" }))
        }
        self.kind = Self.classify(sqlState: state, message: text, cancelRequested: cancelRequested)
        self.operation = operation
        self.host = host
        self.sqlState = state
        self.detail = text
    }

    /// By SQLSTATE alone when the server sent one; libpq's own messages (no SQLSTATE: connecting,
    /// TLS) are always English.
    static func classify(sqlState: String?, message: String, cancelRequested: Bool = false) -> Kind {
        if let state = sqlState {
            switch state {
            case "42501": return .authorization
            case "42P01", "42703", "3F000": return .undefined
            case "57014": return cancelRequested ? .cancelled : .timeout
            case "08000", "08003", "08006", "57P01", "57P02", "57P03", "57P05", "25P03": return .connectionLost
            default: break
            }
            if state.hasPrefix("28") { return .authentication }
            if state.hasPrefix("42") || state.hasPrefix("22") || state == "25006" || state == "0A000" { return .rejected }
            if state.hasPrefix("08") { return .unreachable }
            return .server
        }
        let lower = message.lowercased()
        if lower.contains("password authentication failed") || lower.contains("no password supplied")
            || lower.contains("pg_hba.conf") || lower.contains("role") && lower.contains("does not exist")
        {
            return .authentication
        }
        if lower.contains("ssl") || lower.contains("certificate") || lower.contains("tls") { return .tls }
        if lower.contains("server closed the connection") || lower.contains("connection to server was lost")
            || lower.contains("no connection to the server")
        {
            return .connectionLost
        }
        return .unreachable
    }

    /// What to try next, for each kind.
    var advice: String {
        switch kind {
        case .unreachable:
            "check the host and port in DATABASE_URL (or PGHOST/PGPORT), that PostgreSQL listens there, "
                + "and that a NetworkPolicy lets the hook's pod reach it"
        case .tls:
            "check PGSSLMODE/sslmode and that PGSSLROOTCERT/sslrootcert names the CA that signed the server's certificate "
                + "(sslmode=verify-full also checks the host name)"
        case .authentication:
            "check the user and password in DATABASE_URL (or PGUSER/PGPASSWORD/PGPASSFILE), and that pg_hba.conf "
                + "lets the role connect to the database from the hook's pod"
        case .authorization:
            "grant the role read access: GRANT pg_read_all_data TO <role>; or GRANT USAGE ON SCHEMA <schema> "
                + "and GRANT SELECT ON <table> TO <role> (README, PostgreSQL)"
        case .undefined:
            "fix the table or column name in TASTER_COLLECTIONS or the checks file, or set `allowMissing: true` "
                + "on a check whose table may legitimately not exist"
        case .rejected:
            "fix the check's SQL in the checks file (`where:` is a condition, `query:` a single read-only SELECT "
                + "returning one number)"
        case .timeout:
            "the statement ran past TASTER_DEADLINE (taster's statement_timeout) or was cancelled on the server; raise it, add an index for the check's `where:`, "
                + "or use estimated-count for a very large table"
        case .cancelled:
            "the query was cancelled on the server (the run was stopped)"
        case .connectionLost:
            "the connection to PostgreSQL broke during the query; check the server's log and the network, then rerun"
        case .server:
            "see the server's message"
        }
    }

    package var description: String {
        let place = host.map { " on \($0)" } ?? ""
        let state = sqlState.map { " [SQLSTATE \($0)]" } ?? ""
        return "PostgreSQL \(kind.rawValue) error\(place) during \(operation): \(detail)\(state); \(advice)"
    }
}
