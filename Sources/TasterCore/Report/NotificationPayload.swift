import FoundationEssentials
import TasterSupport

/// The body of a verdict notification: what a chat channel or an alerting hook needs to know,
/// and never a secret.
package enum NotificationPayload {
    package enum Format: String, Sendable, CaseIterable {
        /// `{"summary": ..., "app": ..., "runId": ..., "failedChecks": [...], "reports": {...}}`.
        case json
        /// Slack-compatible: `{"text": "..."}`.
        case slack
    }

    /// The body for a run that failed before it had a verdict (`result: error`).
    /// The summary is an error's text, which goes to a third party: scrubbed like every log line.
    package static func body(forError summary: String, app: String, runID: String?, format: Format) throws -> Data {
        let summary = SecretRedactor.shared.scrub(summary)
        switch format {
        case .json:
            return try ReportCodec.encode(
                Generic(
                    summary: summary, result: "error", app: app, namespace: nil, runId: runID ?? "",
                    failedChecks: [], structure: nil, reports: [:]))
        case .slack:
            return try ReportCodec.encode(["text": ":warning: " + summary])
        }
    }

    /// The JSON body for `format`.
    package static func body(for verdict: Verdict, format: Format, reportURIs: [String: String]) throws -> Data {
        let verdict = verdict.scrubbingFreeText()
        switch format {
        case .json:
            let payload = Generic(
                summary: verdict.summary, result: verdict.result.rawValue, app: verdict.app,
                namespace: verdict.namespace, runId: verdict.runID,
                failedChecks: verdict.failedChecks.map {
                    .init(
                        name: $0.name, collection: $0.collection, pre: $0.pre?.description,
                        post: $0.post?.description, delta: $0.delta, rule: $0.rule.name, reason: $0.reason,
                        documents: $0.evidence.map(Generic.Documents.init))
                },
                structure: verdict.structure.map { _ in
                    verdict.notableStructure.map { .init(change: $0.description, result: $0.result.rawValue) }
                },
                reports: reportURIs)
            return try ReportCodec.encode(payload)
        case .slack:
            var text = (verdict.result == .pass ? ":white_check_mark: " : ":x: ") + verdict.summary
            for check in verdict.failedChecks.prefix(10) {
                text +=
                    "\n• \(check.name): \(check.pre?.description ?? "—") → \(check.post?.description ?? "—") (\(check.evidence?.resultText ?? check.reason ?? check.rule.name))"
                if let named = check.evidence?.firstIDs(limit: 5) { text += "\n   \(named)" }
            }
            for row in verdict.notableStructure.prefix(10) {
                text += "\n• \(row.description) (\(row.result.rawValue))"
            }
            let linkRole = PostTasteWorkflow.Outcome.linkRole
            if let link = reportURIs[linkRole] { text += "\n<\(link)|Open the verdict page>" }
            for (name, uri) in reportURIs.sorted(by: { $0.key < $1.key }) where name != linkRole {
                text += "\n\(name): \(uri)"
            }
            return try ReportCodec.encode(["text": SecretRedactor.shared.scrub(text)])
        }
    }

    struct Generic: Encodable {
        struct Failed: Encodable {
            var name: String
            var collection: String
            var pre: String?
            var post: String?
            var delta: String?
            var rule: String
            var reason: String?
            /// The documents behind the check: counts and first `_id`s.
            var documents: Documents?
        }

        struct Documents: Encodable {
            var lost: Int64
            var added: Int64
            var modified: Int64
            var first: [String]
            var list: String?
            var unavailable: String?
            var limited: String?

            init(_ evidence: CheckEvidence) {
                lost = evidence.lost?.count ?? 0
                added = evidence.added?.count ?? 0
                modified = evidence.modified?.count ?? 0
                first = evidence.named.prefix(10).map { "\($0.change) \($0.document.description)" }
                list = evidence.list
                unavailable = evidence.unavailable
                limited = evidence.limited
            }
        }

        /// A structure difference worth a look (failed, warned or unknown).
        struct StructureRow: Encodable {
            var change: String
            var result: String
        }

        var summary: String
        var result: String
        var app: String
        var namespace: String?
        var runId: String
        var failedChecks: [Failed]
        /// Nil (not written) when the verdict has no structure comparison.
        var structure: [StructureRow]?
        var reports: [String: String]
    }
}
