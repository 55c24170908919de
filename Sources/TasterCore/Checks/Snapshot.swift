/// What the database held at one moment: every check's result, the server's version and the
/// time the snapshot was taken (server time where available).
package struct Snapshot: Sendable, Equatable, Codable {
    package var database: String
    package var serverVersion: String?
    /// RFC 3339, from the server's clock where available.
    package var takenAt: String
    /// Where `takenAt` came from: `server` or `client`.
    package var clock: String
    package var durationSeconds: Double
    package var checks: [CheckResult]

    package init(
        database: String, serverVersion: String?, takenAt: String, clock: String,
        durationSeconds: Double, checks: [CheckResult]
    ) {
        self.database = database
        self.serverVersion = serverVersion
        self.takenAt = takenAt
        self.clock = clock
        self.durationSeconds = durationSeconds
        self.checks = checks
    }
}

extension Snapshot {
    /// The checks-file language of the engine that took the snapshot, from its recorded server
    /// version: a PostgreSQL snapshot's names its engine (`PostgreSQL 15.8 (Debian ...)`),
    /// MongoDB's is the bare number (`7.0.12`).
    package var language: CheckLanguage { serverVersion?.hasPrefix("PostgreSQL") == true ? .sql : .mongo }
}
