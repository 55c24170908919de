import Crypto
import FoundationEssentials
import Logging

/// Which run a phase belongs to. Pre-taste and post-taste of one sync must get the same id:
/// `TASTER_RUN_ID` when set; else, with `TASTER_ARGOCD_APP`, one derived from the Application's
/// sync operation (revision and start time are the same in the PreSync and PostSync hooks);
/// else a UTC timestamp (pre-taste), and post-taste follows the `latest-pre.json` pointer.
public struct RunIdentity: Sendable, Equatable {
    public enum Origin: String, Sendable {
        case configured = "TASTER_RUN_ID"
        case argoCD = "Argo CD sync"
        case timestamp = "time"
        case baselinePointer = "latest-pre.json"
    }

    public var id: String?
    public var origin: Origin

    /// `sync-20261121T100000Z-1a2b3c4d5e6f`: start time and (a short form of) the revision(s).
    public static func id(for operation: SyncOperation) -> String {
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
    public static func timestampID(_ date: Date = Date()) -> String {
        let suffix = (0..<3).map { _ in UInt8.random(in: 0...255) }
        return compact(Timestamp.rfc3339(date)) + "-" + TextFormatting.hex(suffix)
    }

    static func compact(_ rfc3339: String) -> String {
        let digits = rfc3339.prefix(19).filter { $0.isNumber || $0 == "T" }
        return digits + "Z"
    }

    /// Resolves the run id. `source` is asked only when `TASTER_ARGOCD_APP` is set; when it fails
    /// the run goes on with the fallback, saying why (the Role section of README explains what
    /// reading the Application needs).
    public static func resolve(settings: Settings, explicit: String?, source: (any SyncOperationSource)?,
                               fallback: Origin, logger: Logger) async -> RunIdentity {
        if let explicit = explicit ?? settings.runID {
            return RunIdentity(id: explicit, origin: .configured)
        }
        if let application = settings.argoApplication, let source {
            do {
                if let operation = try await source.currentSyncOperation(application: application, namespace: settings.argoNamespace) {
                    return RunIdentity(id: id(for: operation), origin: .argoCD)
                }
                logger.warning("Argo CD Application \(settings.argoNamespace)/\(application) has no sync operation; using \(fallback == .timestamp ? "a timestamp run id" : "latest-pre.json")")
            } catch {
                logger.warning("cannot read Argo CD Application \(settings.argoNamespace)/\(application): \(error); using \(fallback == .timestamp ? "a timestamp run id" : "latest-pre.json") (grant get on applications.argoproj.io, see README)")
            }
        }
        return fallback == .timestamp ? RunIdentity(id: timestampID(), origin: .timestamp) : RunIdentity(id: nil, origin: .baselinePointer)
    }
}
