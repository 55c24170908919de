extension PostgresConnection {
    /// What taster reads must not depend on settings a role or a database carries
    /// (`ALTER ROLE … SET`, `ALTER DATABASE … SET`, `PGOPTIONS`): each is set for the current
    /// transaction, which the snapshot and the inventory each open first.
    ///
    /// | setting                       | why                                                                  |
    /// |-------------------------------|----------------------------------------------------------------------|
    /// | `TimeZone = UTC`              | timestamps without a zone, and `asOf`'s cut, read as taster writes them |
    /// | `extra_float_digits = 3`      | `0` rounds a `float8` to 15 digits: a change in its last digits would pass |
    /// | `standard_conforming_strings = on` | `'\'` in a `where:` is read as `SQLScanner` reads it          |
    /// | `DateStyle = ISO`, `IntervalStyle = postgres`, `bytea_output = hex` | the text a fingerprint digests is the same whatever the role's style |
    ///
    /// `DateStyle` is set to `ISO` alone: that is its output format only. Its other half, the
    /// field order (`MDY`, `DMY`, `YMD`), also decides how a date literal in a `where:` or a
    /// `query:` is read, and stays the role's, as it was when earlier baselines were taken.
    ///
    /// - SeeAlso: https://www.postgresql.org/docs/15/runtime-config-client.html
    static let readSettings: [(name: String, value: String)] = [
        ("TimeZone", "UTC"), ("extra_float_digits", "3"), ("standard_conforming_strings", "on"), ("DateStyle", "ISO"),
        ("IntervalStyle", "postgres"), ("bytea_output", "hex"),
    ]

    /// Sets `readSettings` for the current transaction (`set_config(…, true)`, as `SET LOCAL`).
    func setReadSettings() throws(PostgresError) {
        let calls = Self.readSettings.indices.map { "set_config($\(2 * $0 + 1), $\(2 * $0 + 2), true)" }
        _ = try execute(
            "SELECT " + calls.joined(separator: ", "), Self.readSettings.flatMap { [$0.name, $0.value] },
            operation: "setting the transaction's time zone and output formats")
    }
}
