import Foundation
import Logging
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

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

    @Test("a log line holding a secret, whole or in part, is withheld: time and level kept, JSON still JSON", arguments: LogFormat.allCases)
    func scrubbed(format: LogFormat) throws {
        SecretRedactor.shared.register("lg-Q9f3a/Zx7", origin: "LOG_TEST_SECRET")
        let sink = LogSink(buffer: true)
        let log = logger(format, sink: sink)
        log.error("failed with lg-Q9f3a/Zx7")
        log.error("a cut: Q9F3A/ZX, lower-cased")
        log.error("fine", metadata: ["uri": "mongodb://u:lg-Q9f3a%2FZx7@h"])
        log.error("json-escaped: lg-Q9f3a\\/Zx7")
        log.info("nothing to hide here")
        let lines = sink.written
        #expect(lines.count == 5)
        for line in lines.prefix(4) {
            #expect(line.contains(SecretRedactor.notice(["LOG_TEST_SECRET"]).replacingOccurrences(of: "\"", with: format == .json ? "\\\"" : "\"")))
            #expect(!line.lowercased().contains("q9f3a"))
            #expect(line.contains("error"), "the level is kept")
            if format == .json { _ = try JSONSerialization.jsonObject(with: Data(line.utf8)) }
        }
        #expect(lines[4].contains("nothing to hide here"))
    }
}
