import TasterCore

extension SnapshotPlan {
    /// The plan of the MongoDB settings: `TASTER_DATABASE`, `TASTER_COLLECTIONS` and the checks
    /// file, read in MongoDB's dialect (exit 2 on any problem, before MongoDB is touched).
    package init(settings: MongoSettings) throws(ChecksFileError) {
        try self.init(
            database: settings.database, collections: settings.collections, checksFile: settings.checksFile,
            dialect: MongoCheckDialect())
    }
}
