import Foundation
import Logging
import Testing
@testable import TasterCore

@Suite("Logging")
struct LoggingTests {
    func logger(_ format: LogFormat, sink: LogSink) -> Logger {
        Logger(label: "taster") { label in TasterLogHandler(label: label, format: format, sink: sink) }
    }

    @Test("text lines are readable: time, level, message, sorted metadata")
    func text() {
        let sink = LogSink(buffer: true)
        logger(.text, sink: sink).info("scaled workload", metadata: ["workload": "deployment/web", "from": "0"])
        let line = sink.written.first ?? ""
        #expect(line.hasSuffix(" info    scaled workload from=0 workload=deployment/web\n"))
        #expect(Timestamp.parse(String(line.prefix(24))) != nil)
    }

    @Test("json is one object per line with time, level, message and metadata")
    func json() throws {
        let sink = LogSink(buffer: true)
        logger(.json, sink: sink).warning("slow \"step\"", metadata: ["seconds": "2.5"])
        let lines = sink.written
        #expect(lines.count == 1 && lines[0].hasSuffix("\n") && !lines[0].dropLast().contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["level"] as? String == "warning")
        #expect(object["message"] as? String == "slow \"step\"")
        #expect(object["seconds"] as? String == "2.5")
        #expect(object["logger"] as? String == "taster")
        #expect((object["time"] as? String).flatMap(Timestamp.parse) != nil)
    }

    @Test("registered secrets are scrubbed from log lines", arguments: LogFormat.allCases)
    func scrubbed(format: LogFormat) {
        SecretRedactor.shared.register("log-secret-9f3a")
        let sink = LogSink(buffer: true)
        logger(format, sink: sink).error("failed with log-secret-9f3a", metadata: ["uri": "mongodb://u:log-secret-9f3a@h"])
        #expect(!sink.written.joined().contains("log-secret-9f3a"))
        #expect(sink.written.joined().contains("****"))
    }
}
