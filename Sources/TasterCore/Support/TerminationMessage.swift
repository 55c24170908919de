import Foundation

/// Kubernetes shows the contents of `/dev/termination-log` as the container's termination
/// message (`kubectl describe pod`), and Argo CD shows it on the hook: taster writes its one-line
/// summary there when the file exists. `TASTER_TERMINATION_LOG` overrides the path (tests).
public enum TerminationMessage {
    public static func write(_ summary: String, environment: Environment = .process) {
        let path = environment["TASTER_TERMINATION_LOG"] ?? "/dev/termination-log"
        guard FileManager.default.fileExists(atPath: path), let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        // Kubernetes keeps at most 4096 bytes.
        let text = String(SecretRedactor.shared.scrub(summary).utf8.prefix(4000)) ?? summary
        try? handle.truncate(atOffset: 0)
        try? handle.write(contentsOf: Data((text + "\n").utf8))
    }
}
