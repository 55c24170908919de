import FoundationEssentials
import Logging
import TasterCore
import TasterHTTP
import TasterSupport

/// Follows Kubernetes objects the way client-go's reflector does: read them (a GET or a LIST,
/// which gives a resourceVersion), then watch from that resourceVersion — with bookmarks, so
/// the resourceVersion stays current while nothing changes — and hand every state to a handler
/// until it has what it waits for.
///
/// - A watch the server ends cleanly (its `timeoutSeconds`) is resumed from the last
///   resourceVersion.
/// - `410 Gone` (an answer or an `ERROR` event: the resourceVersion is older than the server's
///   history) reads the objects again with `.afterGone` — a LIST, whose resourceVersion is the
///   server's current one — and watches from there.
/// - A dropped stream, another `ERROR` event, 429 or 5xx, or a connection failure read again
///   with `.afterDrop`. Whatever keeps happening without an event in between is tried again
///   after a growing backoff.
/// - 401, 403, 404 and other errors a person must fix end the watch with that error.
///
/// No polling and no sleeps: a change reaches the handler as soon as its line arrives.
struct ResourceWatch<Object: Decodable & Sendable>: Sendable {
    enum ReadReason: Sendable, Equatable {
        case initial
        /// The stream broke or the server reported an error.
        case afterDrop
        /// The resourceVersion was too old (410): read a current one.
        case afterGone
    }

    enum Update: Sendable {
        /// The objects as just read (the handler sees the whole state after every read).
        case read([Object])
        case added(Object)
        case modified(Object)
        case deleted(Object)
    }

    let client: KubernetesClient
    let permission: KubernetesPermission
    let namespace: String
    /// `fieldSelector`/`labelSelector` of the watch.
    let selector: [(String, String)]
    /// For log lines: `deployment/web`, `pods of job/x`.
    let what: String
    let logger: Logger
    /// Reads the objects now and returns them with the resourceVersion to watch from.
    package let read: @Sendable (_ reason: ReadReason, _ deadline: Deadline) async throws -> (objects: [Object], resourceVersion: String?)
    /// How long the server keeps one watch open before ending it cleanly.
    var watchSeconds = 290
    var backoff = Backoff(base: .milliseconds(200), cap: .seconds(5))

    /// Calls `handle` with every state until it returns non-nil, and returns that.
    func run<Result: Sendable>(deadline: Deadline, _ handle: (Update) async throws -> Result?) async throws -> Result {
        var resourceVersion: String?
        var reason = ReadReason.initial
        var failures = 0
        while true {
            try Task.checkCancellation()
            if failures > 1 {
                guard try await backoff.sleep(attempt: failures - 2, deadline: deadline) else {
                    throw DeadlineExceededError(step: "watching \(what)", budget: deadline.budget)
                }
            }
            if resourceVersion == nil {
                let state: (objects: [Object], resourceVersion: String?)
                do {
                    state = try await read(reason, deadline)
                } catch {
                    guard Self.isTransient(error) else { throw error }
                    failures += 1
                    logger.warning("reading \(what) failed, trying again: \(error)")
                    continue
                }
                if let result = try await handle(.read(state.objects)) { return result }
                resourceVersion = state.resourceVersion ?? "0"
            }

            var query = selector
            query += [
                ("resourceVersion", resourceVersion ?? "0"), ("allowWatchBookmarks", "true"),
                ("timeoutSeconds", String(watchSeconds)),
            ]
            let stream: HTTPLineStream
            do {
                stream = try await client.stream(permission, namespace: namespace, query: query, deadline: deadline)
            } catch {
                if let error = error as? KubernetesError, error.status == 410 {
                    failures += 1
                    logger.info("watch of \(what) from resourceVersion \(resourceVersion ?? "0") is too old (410 Gone): reading it again")
                    (resourceVersion, reason) = (nil, .afterGone)
                    continue
                }
                guard Self.isTransient(error) else { throw error }
                failures += 1
                logger.warning("watch of \(what) failed, reading it again: \(error)")
                (resourceVersion, reason) = (nil, .afterDrop)
                continue
            }

            var endedCleanly = true
            var received = 0
            do {
                events: for try await line in stream {
                    received += 1
                    let envelope: WatchEnvelope
                    do {
                        envelope = try JSONDecoder().decode(WatchEnvelope.self, from: line)
                    } catch {
                        throw client.unreadable(line, what: "a watch event of \(what)", permission: permission, namespace: namespace)
                    }
                    switch envelope.type {
                    case "BOOKMARK":
                        if let version = envelope.object.metadata?.resourceVersion { resourceVersion = version }
                    case "ERROR":
                        let code = envelope.object.code ?? 0
                        failures += 1
                        if code == 410 {
                            logger.info("watch of \(what) expired (\(envelope.object.message ?? "410 Gone")): reading it again")
                            (resourceVersion, reason) = (nil, .afterGone)
                        } else {
                            logger.warning(
                                "watch of \(what) reported an error (\(code) \(envelope.object.reason ?? ""): \(envelope.object.message ?? "")): reading it again"
                            )
                            (resourceVersion, reason) = (nil, .afterDrop)
                        }
                        endedCleanly = false
                        break events
                    case "ADDED", "MODIFIED", "DELETED":
                        let event: WatchEvent<Object>
                        do {
                            event = try JSONDecoder().decode(WatchEvent<Object>.self, from: line)
                        } catch {
                            throw client.unreadable(line, what: "a watch event of \(what)", permission: permission, namespace: namespace)
                        }
                        failures = 0
                        if let version = envelope.object.metadata?.resourceVersion { resourceVersion = version }
                        let update: Update =
                            switch envelope.type {
                            case "ADDED": .added(event.object)
                            case "MODIFIED": .modified(event.object)
                            default: .deleted(event.object)
                            }
                        if let result = try await handle(update) { return result }
                    default:
                        logger.debug("watch of \(what): ignoring an event of type \(envelope.type)")
                    }
                }
            } catch let error as HTTPError {
                // The connection broke mid-stream (a restarting API server, a load balancer).
                failures += 1
                logger.warning("watch of \(what) was cut (\(error.summary)): reading it again")
                (resourceVersion, reason) = (nil, .afterDrop)
                endedCleanly = false
            }
            try Task.checkCancellation()
            if endedCleanly {
                // A server that ends watches at once, again and again, gets the backoff too.
                if received == 0 { failures += 1 }
                logger.debug("watch of \(what) ended; watching again from resourceVersion \(resourceVersion ?? "0")")
            }
        }
    }

    /// Errors worth reading again after: the API server or the network failing for a while.
    static func isTransient(_ error: any Error) -> Bool {
        if let error = error as? HTTPError { return error.isTransient }
        if let error = error as? KubernetesError {
            return [.throttled, .serverError, .conflict].contains(error.kind) || error.status == 410
        }
        return false
    }
}

/// The parts of a watch event every type has: bookmarks carry only a resourceVersion, `ERROR`
/// events a `Status`.
struct WatchEnvelope: Decodable {
    struct Probe: Decodable {
        struct Metadata: Decodable { var resourceVersion: String? }
        var metadata: Metadata?
        var code: Int?
        var reason: String?
        var message: String?
    }

    var type: String
    var object: Probe
}

extension KubernetesClient {
    /// A line of a watch or an answer that is not what the API promises.
    func unreadable(_ data: Data, what: String, permission: KubernetesPermission, namespace: String?) -> KubernetesError {
        let snippet = String(decoding: data.prefix(200), as: UTF8.self)
        return KubernetesError(
            kind: .unreadableResponse, status: 200, permission: permission, namespace: namespace, name: nil,
            method: "GET", url: URLDisplay.show(url(for: permission, namespace: namespace, name: nil, query: [])),
            serverMessage: "\(what) is not what the API sends: \(snippet)", reason: nil, user: nil,
            credentials: credentialsOwner)
    }
}
