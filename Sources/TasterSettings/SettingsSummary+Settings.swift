import TasterCore
import TasterSupport

extension SettingsSummary {
    /// How a report records the settings it was made with: the MongoDB URI or PostgreSQL
    /// connection in its shown form (no secrets), and `prefix`, the report prefix the run resolved.
    package init(settings: Settings, prefix: String?) {
        self.init(
            mongodb: settings.postgres == nil ? settings.mongo.redactedURI : nil,
            database: settings.postgres?.databaseName ?? settings.mongo.database, collections: settings.mongo.collections,
            checksFile: settings.mongo.checksFile, workloads: settings.kubernetes.workloads.map(\.description),
            bucket: settings.s3.bucket, prefix: prefix,
            endpoint: settings.s3.bucket == nil ? nil : settings.s3.effectiveEndpoint.description,
            deadline: DurationParser.format(settings.deadline),
            readyTimeout: DurationParser.format(settings.kubernetes.readyTimeout),
            mongoWait: DurationParser.format(settings.mongo.wait), postgres: settings.postgres?.display)
    }
}
