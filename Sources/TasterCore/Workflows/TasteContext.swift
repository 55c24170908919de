import FoundationEssentials
import Logging
import TasterSupport

/// Everything a workflow step needs to know about the run it is part of, resolved once from
/// validated settings by the executable's wiring: where the run's reports go, how long each wait
/// may take, and how the settings are recorded in reports.
package struct TasteContext: Sendable {
    package let deadline: Deadline
    package let logger: Logger
    /// The workloads' namespace.
    package let namespace: String
    /// `TASTER_APP`, else the namespace.
    package let app: String
    package let layout: ReportLayout
    /// The pod (or machine) running the phase, for reports.
    package let host: String
    /// `TASTER_READY_TIMEOUT`: how long the workloads may take to be ready, inside the deadline.
    package let readyTimeout: Duration
    /// `TASTER_MONGO_WAIT`: how long the database may take to accept connections.
    package let databaseWait: Duration
    /// The settings as reports record them (no secrets).
    package let settingsSummary: SettingsSummary
    /// How document indexes are kept and how many `_id`s a verdict names.
    package let evidence: EvidencePolicy

    package init(
        deadline: Deadline, logger: Logger, namespace: String, app: String, layout: ReportLayout,
        readyTimeout: Duration, databaseWait: Duration, settingsSummary: SettingsSummary,
        evidence: EvidencePolicy = EvidencePolicy(), environment: Environment = .process
    ) {
        self.deadline = deadline
        self.logger = logger
        self.namespace = namespace
        self.app = app
        self.layout = layout
        self.readyTimeout = readyTimeout
        self.databaseWait = databaseWait
        self.settingsSummary = settingsSummary
        self.evidence = evidence
        host = environment["POD_NAME"] ?? ProcessInfo.processInfo.hostName
    }
}
