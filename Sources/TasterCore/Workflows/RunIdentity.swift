import Crypto
import FoundationEssentials
import Logging
import TasterSupport

/// Which run a phase belongs to. Pre-taste and post-taste of one sync must get the same id:
/// `TASTER_RUN_ID` when set; else, with `TASTER_ARGOCD_APP`, one derived from the Application's
/// sync operation (revision and start time are the same in the PreSync and PostSync hooks);
/// else a UTC timestamp (pre-taste), and post-taste follows the `latest-pre.json` pointer.
package struct RunIdentity: Sendable, Equatable {
    package enum Origin: String, Sendable {
        case configured = "TASTER_RUN_ID"
        case argoCD = "Argo CD sync"
        case timestamp = "time"
        case baselinePointer = "latest-pre.json"
    }

    package var id: String?
    package var origin: Origin

    /// `sync-20261121T100000Z-1a2b3c4d5e6f`: start time and (a short form of) the revision(s).
    package static func id(for operation: SyncOperation) -> String {
        let time = compact(operation.startedAt)
        let joined = operation.revisions.joined(separator: ",")
        let isHex = !joined.isEmpty && joined.allSatisfy(\.isHexDigit)
        let revision: String
        if isHex {
            revision = String(joined.prefix(12)).lowercased()
        } else {
            let digest = SHA256.hash(data: Data(joined.utf8))
            revision = TextFormatting.hex(digest.prefix(6))
        }
        return "sync-\(time)-\(revision)"
    }

    /// `20261121T100000Z-3f9a0c`: the UTC second (so ids sort by time) and a random suffix, so two
    /// pre-tastes started within one second (a retried hook, a fast pipeline) never share an id —
    /// the second would find `pre.json` taken and exit 2.
    package static func timestampID(_ date: Date = Date()) -> String {
        let suffix = (0..<3).map { _ in UInt8.random(in: 0...255) }
        return compact(Timestamp.rfc3339(date)) + "-" + TextFormatting.hex(suffix)
    }

    static func compact(_ rfc3339: String) -> String {
        let digits = rfc3339.prefix(19).filter { $0.isNumber || $0 == "T" }
        return digits + "Z"
    }

    /// The Argo CD Application whose sync operation names the run (`TASTER_ARGOCD_APP`,
    /// `TASTER_ARGOCD_NAMESPACE`).
    package struct ArgoApplication: Sendable, Equatable {
        package var name: String
        package var namespace: String
        package init(name: String, namespace: String) {
            self.name = name
            self.namespace = namespace
        }
    }

    /// Resolves the run id: `explicit` (`--run-id`, `TASTER_RUN_ID`) wins; else the Application's
    /// sync operation, asked of `source`; when that fails the run goes on with the fallback,
    /// saying why (the Role section of README explains what reading the Application needs).
    package static func resolve(
        explicit: String?, application: ArgoApplication?, source: (any SyncOperationSource)?,
        fallback: Origin, logger: Logger
    ) async -> RunIdentity {
        if let explicit {
            return RunIdentity(id: explicit, origin: .configured)
        }
        if let application, let source {
            let using = fallback == .timestamp ? "a timestamp run id" : "latest-pre.json"
            do {
                if let operation = try await source.currentSyncOperation(application: application.name, namespace: application.namespace) {
                    return RunIdentity(id: id(for: operation), origin: .argoCD)
                }
                logger.warning("Argo CD Application \(application.namespace)/\(application.name) has no sync operation; using \(using)")
            } catch {
                logger.warning(
                    "cannot read Argo CD Application \(application.namespace)/\(application.name): \(error); using \(using) (grant get on applications.argoproj.io, see README)"
                )
            }
        }
        return fallback == .timestamp ? RunIdentity(id: timestampID(), origin: .timestamp) : RunIdentity(id: nil, origin: .baselinePointer)
    }
}
