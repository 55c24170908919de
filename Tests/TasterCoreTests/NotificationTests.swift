import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterNotify
@testable import TasterS3
@testable import TasterSettings
@testable import TasterSupport

@Suite("Notifications")
struct NotificationTests {
    @Test("settings: URL masked in show-settings, format and trigger validated")
    func settings() throws {
        let url = "https://hooks.slack.com/services/T0/B0/nT9xQ2vLk7Zp42"
        let settings = try Settings.load(from: Environment(["TASTER_NOTIFY_URL": url, "TASTER_NOTIFY_FORMAT": "slack", "TASTER_NOTIFY_ON": "always"]))
        #expect(settings.notification == NotificationSettings(url: Secret(url, origin: "TASTER_NOTIFY_URL"), format: .slack, on: .always))
        #expect(!settings.table.contains("nT9xQ2vLk7Zp42"))
        #expect(settings.table.contains("https://hooks.slack.com/****"))
        #expect(SecretRedactor.shared.scrub("posting to \(url)") == SecretRedactor.notice(["TASTER_NOTIFY_URL"]))
        #expect(try Settings.load(from: Environment([:])).notification == nil)
        for (values, variable) in [
            (["TASTER_NOTIFY_URL": "ftp://x"], "TASTER_NOTIFY_URL"),
            (["TASTER_NOTIFY_FORMAT": "teams"], "TASTER_NOTIFY_FORMAT"),
            (["TASTER_NOTIFY_ON": "sometimes"], "TASTER_NOTIFY_ON"),
        ] {
            #expect(throws: ConfigurationError.self) { try Settings.load(from: Environment(values)) }
            do { _ = try Settings.load(from: Environment(values)) } catch { #expect(error.problems.map(\.variable) == [variable]) }
        }
    }

    func failedVerdict() -> Verdict {
        func snapshot(_ value: Int64) -> Snapshot {
            Snapshot(
                database: "pxbbq", serverVersion: nil, takenAt: "t", clock: "client", durationSeconds: 0,
                checks: [CheckResult(name: "orders", kind: .count, database: "pxbbq", collection: "orders", value: .int64(value), durationSeconds: 0)])
        }
        return Verdict.make(
            preSnapshot: snapshot(10), postSnapshot: snapshot(7), runID: "r9", app: "pxbbq", namespace: "pxbbq",
            preKey: "p", postKey: "q", reportOnly: false, createdAt: "now")
    }

    @Test("the JSON payload carries summary, app, run id, failed checks and report URIs")
    func json() throws {
        let data = try NotificationPayload.body(for: failedVerdict(), format: .json, reportURIs: ["verdict": "s3://b/k/verdict.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["app"] as? String == "pxbbq")
        #expect(object["runId"] as? String == "r9")
        #expect(object["result"] as? String == "fail")
        #expect((object["summary"] as? String)?.hasPrefix("taster: FAIL pxbbq run r9") == true)
        let failed = try #require(object["failedChecks"] as? [[String: Any]])
        #expect(failed.first?["name"] as? String == "orders" && failed.first?["delta"] as? String == "-3")
        #expect((object["reports"] as? [String: String])?["verdict"] == "s3://b/k/verdict.json")
    }

    @Test("the Slack payload is a text message")
    func slack() throws {
        let data = try NotificationPayload.body(for: failedVerdict(), format: .slack, reportURIs: ["verdict": "s3://b/v.json"])
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: String])
        let text = try #require(object["text"])
        #expect(text.hasPrefix(":x: taster: FAIL pxbbq run r9"))
        #expect(text.contains("• orders: 10 → 7 (3 fewer, rule equal)"))
        #expect(text.contains("verdict: s3://b/v.json"))
    }

    @Test("an error notification never carries a secret the error's text happened to hold")
    func errorIsScrubbed() throws {
        let secret = "errPathQz-\(UUID().uuidString)"
        SecretRedactor.shared.register(secret)
        let summary = "taster: ERROR post-taste pxbbq (exit 3)\ncannot read mongodb://taster:\(secret)@db/"
        for format in [NotificationSettings.Format.json, .slack] {
            let text = String(decoding: try NotificationPayload.body(forError: summary, app: "pxbbq", runID: nil, format: format), as: UTF8.self)
            #expect(!text.contains(secret) && !text.contains(secret.suffix(12)))
            #expect(text.contains("taster: ERROR post-taste pxbbq"), "the line without the secret is kept")
            #expect(text.contains("withheld"))
        }
    }
}
