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
