import FoundationEssentials
import Logging
import Synchronization
import TasterSupport

/// Streams the logs of pods' containers as they run (`GET pods/NAME/log?follow=true`), each line
/// handed on as `pod/container | line`, one stream per container, started as soon as the
/// container has started (so a fast Job's output is not missed) and ending when it terminates.
///
/// A stream cut before its container ended is resumed from the last line's timestamp
/// (`sinceTime`), skipping lines already printed.
final class PodLogFollower: Sendable {
    let client: KubernetesClient
    let namespace: String
    let logger: Logger
    let output: @Sendable (String) -> Void
    let deadline: Deadline

    private struct State {
        /// Containers whose log is being or was streamed, `pod/container`.
        var following: Set<String> = []
        var tasks: [Task<Void, Never>] = []
    }

    private let state = Mutex(State())

    init(client: KubernetesClient, namespace: String, logger: Logger, deadline: Deadline, output: @escaping @Sendable (String) -> Void) {
        self.client = client
        self.namespace = namespace
        self.logger = logger
        self.deadline = deadline
        self.output = output
    }

    /// Starts streaming each container of `pod` that has started and is not streamed yet.
    func follow(_ pod: PodObject) {
        let statuses = (pod.status?.containerStatuses ?? [])
        let names = pod.spec?.containers?.map(\.name) ?? statuses.map(\.name)
        for container in names {
            guard let status = statuses.first(where: { $0.name == container }),
                status.state?.running != nil || status.state?.terminated != nil
            else { continue }
            let key = "\(pod.metadata.name)/\(container)"
            let isNew = state.withLock { $0.following.insert(key).inserted }
            guard isNew else { continue }
            let task = Task { await self.stream(pod: pod.metadata.name, container: container) }
            state.withLock { $0.tasks.append(task) }
        }
    }

    /// Waits for the streams to end (their containers have terminated), at most `grace`, then
    /// stops those still open.
    package func finish(grace: Duration) async {
        let tasks = state.withLock { $0.tasks }
        let all = Task { for task in tasks { await task.value } }
        let timer = Task {
            try? await Task.sleep(for: grace)
            for task in tasks { task.cancel() }
        }
        await all.value
        timer.cancel()
    }

    /// Stops every stream now.
    func cancel() {
        state.withLock { state in
            for task in state.tasks { task.cancel() }
        }
    }

    private func stream(pod: String, container: String) async {
        let prefix = "\(pod)/\(container) | "
        var lastTimestamp: String?
        var attempt = 0
        while !Task.isCancelled {
            var query = [("container", container), ("follow", "true"), ("timestamps", "true")]
            if let lastTimestamp { query.append(("sinceTime", String(lastTimestamp.prefix(19)) + "Z")) }
            do {
                let lines = try await client.stream(.getPodLog, namespace: namespace, name: pod, query: query, deadline: deadline)
                for try await data in lines {
                    let line = String(decoding: data, as: UTF8.self)
                    // "2026-11-21T10:00:00.123456789Z text": RFC 3339 timestamps of one format sort as text.
                    let (timestamp, text) = Self.split(line)
                    if let timestamp, let last = lastTimestamp, timestamp <= last { continue }
                    if let timestamp { lastTimestamp = timestamp }
                    output(prefix + text)
                }
                return
            } catch is CancellationError {
                return
            } catch {
                attempt += 1
                guard attempt < 5, ResourceWatch<PodObject>.isTransient(error) else {
                    logger.warning("cannot stream the log of \(pod)/\(container): \(error)")
                    return
                }
                logger.warning("the log stream of \(pod)/\(container) was cut; resuming")
                guard (try? await Backoff().sleep(attempt: attempt - 1, deadline: deadline)) == true else { return }
            }
        }
    }

    /// `(timestamp, text)` of a `timestamps=true` log line.
    static func split(_ line: String) -> (String?, String) {
        guard let space = line.firstIndex(of: " ") else { return (nil, line) }
        let stamp = Array(line[..<space].utf8)
        let shape =
            stamp.count >= 20 && stamp[4] == UInt8(ascii: "-") && stamp[7] == UInt8(ascii: "-")
            && stamp[10] == UInt8(ascii: "T") && stamp[13] == UInt8(ascii: ":") && stamp[16] == UInt8(ascii: ":")
        guard shape else { return (nil, line) }
        return (String(line[..<space]), String(line[line.index(after: space)...]))
    }
}
