/// What a snapshot measures: an exact count of every collection in `TASTER_COLLECTIONS` (named
/// after the collection, rule `equal`) and every check of the checks file. A checks-file entry
/// with a collection's name replaces that default count, in its place.
public struct SnapshotPlan: Sendable, Equatable {
    /// `TASTER_DATABASE`: where checks without their own `database:` run.
    public var database: String
    public var checks: [CheckDefinition]

    public init(database: String, checks: [CheckDefinition]) {
        self.database = database
        self.checks = checks
    }

    /// Builds the plan from settings, reading and validating the checks file (exit 2 on any
    /// problem, before MongoDB is touched).
    public init(settings: MongoSettings) throws(ChecksFileError) {
        var checks = settings.collections.map { CheckDefinition.defaultCount(of: $0, database: settings.database) }
        let defaults = checks.count
        if let path = settings.checksFile {
            for check in try ChecksFile.load(path: path, defaultDatabase: settings.database) {
                if let index = checks.prefix(defaults).firstIndex(where: { $0.name == check.name }) {
                    checks[index] = check
                } else {
                    checks.append(check)
                }
            }
        }
        self.init(database: settings.database, checks: checks)
    }

    /// The databases the checks read, in first-use order.
    public var databases: [String] {
        var seen: [String] = []
        for check in checks where !seen.contains(check.database) { seen.append(check.database) }
        return seen
    }
}
