import FoundationEssentials
import Logging
import Synchronization

/// Writes log lines to standard error — readable text by default, one JSON object per line with
/// `TASTER_LOG_FORMAT=json`. A line whose message or metadata holds a registered secret, in any
/// form or in part, keeps its time and level and is otherwise withheld (`SecretRedactor`), so the
/// JSON stays JSON. Standard output is kept for results (tables, JSON reports) so both can be
/// piped separately.
package struct TasterLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    package var logLevel: Logger.Level = .info
    private let label: String
    private let format: LogFormat
    private let sink: LogSink

    package init(label: String, format: LogFormat, level: Logger.Level = .info, sink: LogSink = .standardError) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.sink = sink
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var event = event
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let said = ([event.message.description] + merged.map { "\($0.key)=\($0.value)" }).joined(separator: "\n")
        let origins = SecretRedactor.shared.findings(in: said)
        if !origins.isEmpty {
            event.message = "\(SecretRedactor.notice(origins))"
            merged = [:]
        }
        let line: String
        switch format {
        case .text: line = Self.textLine(event: event, metadata: merged)
        case .json: line = Self.jsonLine(event: event, metadata: merged, label: label)
        }
        sink.write(line + "\n")
    }

    static func textLine(event: LogEvent, metadata: Logger.Metadata) -> String {
        let level = TextFormatting.column(event.level.rawValue, 7)
        var line = "\(Timestamp.rfc3339()) \(level) \(event.message)"
        for key in metadata.keys.sorted() {
            line += " \(key)=\(metadata[key]!)"
        }
        return line
    }

    static func jsonLine(event: LogEvent, metadata: Logger.Metadata, label: String) -> String {
        var fields: [String: String] = [
            "time": JSONText.quote(Timestamp.rfc3339()),
            "level": JSONText.quote(event.level.rawValue),
            "logger": JSONText.quote(label),
            "message": JSONText.quote(event.message.description),
        ]
        for (key, value) in metadata where fields[key] == nil {
            fields[key] = json(value)
        }
        return "{" + fields.keys.sorted().map { JSONText.quote($0) + ":" + fields[$0]! }.joined(separator: ",") + "}"
    }

    static func json(_ value: Logger.MetadataValue) -> String {
        switch value {
        case .string(let string): JSONText.quote(string)
        case .stringConvertible(let convertible): JSONText.quote(convertible.description)
        case .array(let array): "[" + array.map(json).joined(separator: ",") + "]"
        case .dictionary(let dictionary):
            "{" + dictionary.keys.sorted().map { JSONText.quote($0) + ":" + json(dictionary[$0]!) }.joined(separator: ",") + "}"
        }
    }
}

/// Where log lines go: standard error, or a buffer (tests).
package final class LogSink: Sendable {
    package static let standardError = LogSink(buffer: false)
    private let lines = Mutex<[String]>([])
    private let buffered: Bool

    package init(buffer: Bool) { buffered = buffer }

    func write(_ line: String) {
        if buffered {
            lines.withLock { $0.append(line) }
        } else {
            lines.withLock { _ in StandardStream.error.write(line) }
        }
    }

    /// Lines written so far (buffered sinks only).
    package var written: [String] { lines.withLock { $0 } }
}

extension TasterLogHandler {
    /// Installs the handler for the whole process; call once, before the first `Logger` is made.
    package static func bootstrap(format: LogFormat, level: Logger.Level = .info) {
        LoggingSystem.bootstrap { label in
            TasterLogHandler(label: label, format: format, level: level)
        }
    }
}
