/// What a snapshot measures: an exact count of every collection in `TASTER_COLLECTIONS` (named
/// after the collection, rule `equal`) and every check of the checks file. A checks-file entry
/// with a collection's name replaces that default count, in its place.
package struct SnapshotPlan: Sendable, Equatable {
    /// `TASTER_DATABASE`: where checks without their own `database:` run.
    package var database: String
    package var checks: [CheckDefinition]

    package init(database: String, checks: [CheckDefinition]) {
        self.database = database
        self.checks = checks
    }

    /// Builds the plan from `TASTER_DATABASE`, `TASTER_COLLECTIONS` and the checks file, reading
    /// and validating the file (exit 2 on any problem, before the database is touched).
    package init(database: String, collections: [String], checksFile: String?, dialect: any CheckDialect) throws(ChecksFileError) {
        var checks = collections.map { CheckDefinition.defaultCount(of: $0, database: database) }
        let defaults = checks.count
        if let path = checksFile {
            for check in try ChecksFile.load(path: path, defaultDatabase: database, dialect: dialect) {
                if let index = checks.prefix(defaults).firstIndex(where: { $0.name == check.name }) {
                    checks[index] = check
                } else {
                    checks.append(check)
                }
            }
        }
        self.init(database: database, checks: checks)
    }

    /// The databases the checks read, in first-use order.
    package var databases: [String] {
        var seen: [String] = []
        for check in checks where !seen.contains(check.database) { seen.append(check.database) }
        return seen
    }
}
