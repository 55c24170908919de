import TasterSupport

/// `pre.json` and `post.json`: one phase of a run — who, where, when, with which settings, what
/// was scaled and what the database held. Versioned (`schemaVersion`), documented in README.
package struct TasteReport: Sendable, Equatable, Codable {
    /// 2 added document indexes (a check's `index`) and `inventory`; 3 added `evidenceKey` (a
    /// password's key is stretched with a salt of each baseline). Version 1 reports are still
    /// read: their checks have no index and, as a baseline, their structure rows are "unknown";
    /// version 2 baselines' keys are derived with the one salt and 100,000 rounds of then.
    package static let currentSchemaVersion = 3
    package static let readableSchemaVersions = 1...currentSchemaVersion

    package enum Phase: String, Sendable, Codable {
        case pre
        case post
    }

    package var schemaVersion: Int
    package var phase: Phase
    package var runID: String
    package var app: String
    package var namespace: String?
    package var tool: Tool
    /// The host (pod name in a cluster) that ran the phase.
    package var host: String
    package var startedAt: String
    package var finishedAt: String
    package var settings: SettingsSummary
    package var workloads: [WorkloadRecord]
    package var snapshot: Snapshot
    /// Problems met during the phase (a report with errors is never used as a baseline).
    package var errors: [String]
    /// What deserves a look although the phase succeeded: checks that guard nothing because no
    /// document holds the field they measure. Nil (not written) when there is nothing.
    package var warnings: [String]?
    /// For a post report: the baseline it was compared with.
    package var baseline: BaselineReference?
    /// Every collection, view and index of the database (schema version 2); nil in version 1
    /// reports.
    package var inventory: DatabaseInventory?
    /// The evidence key the document indexes' field digests were made with (schema version 3):
    /// its id, and for a key derived from the database password the salt and rounds post-taste
    /// derives it with again. Nil when no check keeps an index or no key is configured.
    package var evidenceKey: EvidenceKeyRecord?

    package init(
        phase: Phase, runID: String, app: String, namespace: String?, host: String, startedAt: String,
        finishedAt: String, settings: SettingsSummary, workloads: [WorkloadRecord], snapshot: Snapshot,
        errors: [String] = [], baseline: BaselineReference? = nil, inventory: DatabaseInventory? = nil,
        evidenceKey: EvidenceKeyRecord? = nil
    ) {
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
        self.inventory = inventory
        self.evidenceKey = evidenceKey
    }

    enum CodingKeys: String, CodingKey {
        case schemaVersion, phase, runID = "runId", app, namespace, tool, host, startedAt, finishedAt, settings,
            workloads, snapshot, errors, warnings, baseline, inventory, evidenceKey
    }

    package struct Tool: Sendable, Equatable, Codable {
        package var name = "taster"
        package var version = TasterVersion.current
        package init() {}
    }

    /// What was scaled, from what, to what, and how long it took to be ready.
    package struct WorkloadRecord: Sendable, Equatable, Codable {
        package var kind: WorkloadKind
        package var name: String
        package var replicasBefore: Int
        package var target: Int
        package var secondsToReady: Double?

        package init(kind: WorkloadKind, name: String, replicasBefore: Int, target: Int, secondsToReady: Double?) {
            self.kind = kind
            self.name = name
            self.replicasBefore = replicasBefore
            self.target = target
            self.secondsToReady = secondsToReady
        }
    }

    package struct BaselineReference: Sendable, Equatable, Codable {
        package var runID: String
        package var key: String
        enum CodingKeys: String, CodingKey { case runID = "runId", key }
        package init(runID: String, key: String) {
            self.runID = runID
            self.key = key
        }
    }
}

/// The settings a report was made with, without secrets: enough to reproduce the run.
package struct SettingsSummary: Sendable, Equatable, Codable {
    package var mongodb: String?
    package var database: String
    package var collections: [String]
    package var checksFile: String?
    package var workloads: [String]
    package var bucket: String?
    package var prefix: String?
    package var endpoint: String?
    package var deadline: String
    package var readyTimeout: String
    package var mongoWait: String
    /// PostgreSQL's connection in its shown form (no password), when the database is PostgreSQL.
    package var postgres: String?

    package init(
        mongodb: String?, database: String, collections: [String], checksFile: String?, workloads: [String],
        bucket: String?, prefix: String?, endpoint: String?, deadline: String, readyTimeout: String, mongoWait: String,
        postgres: String? = nil
    ) {
        self.postgres = postgres
        self.mongodb = mongodb
        self.database = database
        self.collections = collections
        self.checksFile = checksFile
        self.workloads = workloads
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint
        self.deadline = deadline
        self.readyTimeout = readyTimeout
        self.mongoWait = mongoWait
    }
}

extension [TasteReport.WorkloadRecord] {
    /// The record of `target`'s workload (same kind and name), whatever its replicas.
    package func record(of target: WorkloadTarget) -> TasteReport.WorkloadRecord? {
        first { $0.kind == target.kind && $0.name == target.name }
    }
}
