/// `pre.json` and `post.json`: one phase of a run — who, where, when, with which settings, what
/// was scaled and what the database held. Versioned (`schemaVersion`), documented in README.
public struct TasteReport: Sendable, Equatable, Codable {
    public static let currentSchemaVersion = 1

    public enum Phase: String, Sendable, Codable {
        case pre
        case post
    }

    public var schemaVersion: Int
    public var phase: Phase
    public var runID: String
    public var app: String
    public var namespace: String?
    public var tool: Tool
    /// The host (pod name in a cluster) that ran the phase.
    public var host: String
    public var startedAt: String
    public var finishedAt: String
    public var settings: SettingsSummary
    public var workloads: [WorkloadRecord]
    public var snapshot: Snapshot
    /// Problems met during the phase (a report with errors is never used as a baseline).
    public var errors: [String]
    /// What deserves a look although the phase succeeded: checks that guard nothing because no
    /// document holds the field they measure. Nil (not written) when there is nothing.
    public var warnings: [String]?
    /// For a post report: the baseline it was compared with.
    public var baseline: BaselineReference?

    public init(phase: Phase, runID: String, app: String, namespace: String?, host: String, startedAt: String,
                finishedAt: String, settings: SettingsSummary, workloads: [WorkloadRecord], snapshot: Snapshot,
                errors: [String] = [], baseline: BaselineReference? = nil) {
        schemaVersion = Self.currentSchemaVersion
        self.phase = phase
        self.runID = runID
        self.app = app
        self.namespace = namespace
        tool = Tool()
        self.host = host
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.settings = settings
        self.workloads = workloads
        self.snapshot = snapshot
        self.errors = errors
        let warnings = snapshot.warnings
        self.warnings = warnings.isEmpty ? nil : warnings
        self.baseline = baseline
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, phase, runID = "runId", app, namespace, tool, host, startedAt, finishedAt, settings,
             workloads, snapshot, errors, warnings, baseline
    }

    public struct Tool: Sendable, Equatable, Codable {
        public var name = "taster"
        public var version = TasterVersion.current
        public init() {}
    }

    /// What was scaled, from what, to what, and how long it took to be ready.
    public struct WorkloadRecord: Sendable, Equatable, Codable {
        public var kind: WorkloadKind
        public var name: String
        public var replicasBefore: Int
        public var target: Int
        public var secondsToReady: Double?

        public init(kind: WorkloadKind, name: String, replicasBefore: Int, target: Int, secondsToReady: Double?) {
            self.kind = kind
            self.name = name
            self.replicasBefore = replicasBefore
            self.target = target
            self.secondsToReady = secondsToReady
        }
    }

    public struct BaselineReference: Sendable, Equatable, Codable {
        public var runID: String
        public var key: String
        enum CodingKeys: String, CodingKey { case runID = "runId", key }
        public init(runID: String, key: String) {
            self.runID = runID
            self.key = key
        }
    }
}

/// The settings a report was made with, without secrets: enough to reproduce the run.
public struct SettingsSummary: Sendable, Equatable, Codable {
    public var mongodb: String?
    public var database: String
    public var collections: [String]
    public var checksFile: String?
    public var workloads: [String]
    public var bucket: String?
    public var prefix: String?
    public var endpoint: String?
    public var deadline: String
    public var readyTimeout: String
    public var mongoWait: String

    public init(settings: Settings, prefix: String?) {
        mongodb = settings.mongo.redactedURI
        database = settings.mongo.database
        collections = settings.mongo.collections
        checksFile = settings.mongo.checksFile
        workloads = settings.kubernetes.workloads.map(\.description)
        bucket = settings.s3.bucket
        self.prefix = prefix
        endpoint = settings.s3.bucket == nil ? nil : settings.s3.effectiveEndpoint.description
        deadline = DurationParser.format(settings.deadline)
        readyTimeout = DurationParser.format(settings.kubernetes.readyTimeout)
        mongoWait = DurationParser.format(settings.mongo.wait)
    }
}
