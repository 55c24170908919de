/// What a snapshot measures: an exact count of every collection in `TASTER_COLLECTIONS` (named
/// after the collection, rule `equal`) and every check of the checks file. A checks-file entry
/// with a collection's name replaces that default count, in its place. `TASTER_COLLECTIONS=*`
/// counts every collection the database has when the snapshot is taken (`discovering(_:)`).
package struct SnapshotPlan: Sendable, Equatable {
    /// `TASTER_DATABASE`: where checks without their own `database:` run.
    package var database: String
    package var checks: [CheckDefinition]
    /// Some check keeps a document index (and so needs the evidence key).
    package var keepsDocumentIndexes: Bool { checks.contains(where: \.indexesDocuments) }
    /// `TASTER_COLLECTIONS=*`: count every collection of `database`, found at snapshot time.
    package var discoversCollections: Bool
    /// The checks file's `structure:` rules (the defaults without one).
    package var structure: StructurePolicy

    /// The value of `TASTER_COLLECTIONS` that counts every collection.
    package static let everyCollection = "*"

    package init(database: String, checks: [CheckDefinition], discoversCollections: Bool = false, structure: StructurePolicy = StructurePolicy()) {
        self.database = database
        self.checks = checks
        self.discoversCollections = discoversCollections
        self.structure = structure
    }

    /// The plan with a default count of each of `collections` (those `TASTER_COLLECTIONS=*`
    /// found), first, unless a check of the checks file already has its name or the `structure:`
    /// section ignores the collection.
    package func discovering(_ collections: [String]) -> SnapshotPlan {
        guard discoversCollections else { return self }
        let named = Set(checks.map(\.name))
        var counts = collections.filter { !named.contains($0) && !structure.ignores(collection: $0) }.map { collection in
            var check = CheckDefinition.defaultCount(of: collection, database: database)
            check.origin = "TASTER_COLLECTIONS=*"
            check.discovered = true
            return check
        }
        counts += checks
        return SnapshotPlan(database: database, checks: counts, discoversCollections: false, structure: structure)
    }

    /// Builds the plan from `TASTER_DATABASE`, `TASTER_COLLECTIONS` and the checks file, reading
    /// and validating the file (exit 2 on any problem, before the database is touched).
    package init(database: String, collections: [String], checksFile: String?, dialect: any CheckDialect) throws(ChecksFileError) {
        let discovers = collections == [Self.everyCollection]
        var checks = discovers ? [] : collections.map { CheckDefinition.defaultCount(of: $0, database: database) }
        let defaults = checks.count
        var structure = StructurePolicy()
        if let path = checksFile {
            structure = try ChecksFile.loadStructure(path: path)
            for check in try ChecksFile.load(path: path, defaultDatabase: database, dialect: dialect) {
                if let index = checks.prefix(defaults).firstIndex(where: { $0.name == check.name }) {
                    checks[index] = check
                } else {
                    checks.append(check)
                }
            }
        }
        self.init(database: database, checks: checks, discoversCollections: discovers, structure: structure)
    }

    /// The databases the checks read, in first-use order.
    package var databases: [String] {
        var seen: [String] = []
        for check in checks where !seen.contains(check.database) { seen.append(check.database) }
        return seen
    }
}
