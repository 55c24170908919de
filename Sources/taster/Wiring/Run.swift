import ArgumentParser
import FoundationEssentials
import Logging
import TasterCore
import TasterKubernetes
import TasterSettings
import TasterSupport

/// Each command's one call: its workflow from `Wiring`, run, and its result presented on
/// standard output. A non-zero outcome is thrown as the exit code; an error's exit code is the
/// error's (`TasterMain`).
enum Run {
    static func preTaste(_ settings: Settings, output: OutputFormat) async throws {
        let hook = try await HookRunner.prepare(.preTaste, failures: Wiring.setupFailures(settings, hook: .preTaste, logger: logger)) {
            try await Wiring.preTaste(settings, logger: logger)
        }
        let code = try await hook.runner.run(hook.workflow.run) { outcome in
            switch output {
            case .table: StandardStream.output.writeScrubbed(outcome.report.snapshot.table + "\n\n" + outcome.summary + "\n")
            case .json: StandardStream.output.write(String(decoding: try ReportCodec.encode(outcome.report), as: UTF8.self))
            }
        }
        try exit(code)
    }

    static func postTaste(_ settings: Settings, runID: String?, keepRunning: Bool, reportOnly: Bool, output: OutputFormat) async throws {
        let hook = try await HookRunner.prepare(.postTaste, failures: Wiring.setupFailures(settings, hook: .postTaste, logger: logger)) {
            try await Wiring.postTaste(settings, runID: runID, keepRunning: keepRunning, reportOnly: reportOnly, logger: logger)
        }
        let code = try await hook.runner.run(hook.workflow.run) { outcome in
            try printVerdict(outcome.verdict, output: output, reportURIs: outcome.reportURIs)
            if !outcome.restoreProblems.isEmpty {
                StandardStream.error.writeScrubbed("error: \(RestoreFailedError(problems: outcome.restoreProblems))\n")
            }
        }
        try exit(code)
    }

    static func restore(_ settings: Settings, runID: String?) async throws {
        let hook = try await HookRunner.prepare(.restore, failures: Wiring.setupFailures(settings, hook: .restore, logger: logger)) {
            try await Wiring.restore(settings, runID: runID, logger: logger)
        }
        let code = try await hook.runner.run(hook.workflow.run) { outcome in
            StandardStream.output.writeScrubbed(outcome.summary + "\n")
        }
        try exit(code)
    }

    static func snapshot(_ settings: Settings, asOf: Date?, output: OutputFormat, inventory: Bool = false) async throws {
        let source = try Wiring.snapshot(settings, logger: logger)
        let deadline = Deadline(budget: settings.deadline)
        try await source.waitUntilAvailable(timeout: deadline.capped(settings.mongo.wait), deadline: deadline)
        let taken = inventory ? try await source.inventory(deadline: deadline) : nil
        let snapshot = try await source.snapshot(asOf: asOf, refusingMissing: false, deadline: deadline)
        switch (output, inventory) {
        case (.table, false): StandardStream.output.writeScrubbed(snapshot.table + "\n")
        case (.json, false): StandardStream.output.write(try snapshot.jsonText() + "\n")
        case (.table, true): StandardStream.output.writeScrubbed(snapshot.table + "\n\n" + (taken?.table ?? "no inventory") + "\n")
        case (.json, true):
            let both = InventoriedSnapshot(snapshot: snapshot, inventory: taken?.scrubbingProblems())
            StandardStream.output.write(try both.jsonText() + "\n")
        }
    }

    static func compare(
        _ settings: Settings, pre: String, post: String, reportOnly: Bool, output: OutputFormat, html: String?, changes: String?
    ) async throws {
        let outcome = try await Wiring.compare(settings, logger: logger).run(
            pre: pre, post: post, reportOnly: reportOnly, changesOf: changes, evidenceLimit: settings.evidence.limit)
        if let list = outcome.changes {
            // Ids and field names only: nothing to scrub, and a list of millions is streamed.
            var offset = 0
            while offset < list.size {
                let chunk = try list.read(at: offset, count: min(1 << 20, list.size - offset))
                StandardStream.output.write(String(decoding: chunk, as: UTF8.self))
                offset += chunk.count
            }
        } else {
            try printVerdict(outcome.verdict, output: output)
        }
        if let html {
            try writeFile(html, VerdictPage(verdict: outcome.verdict, preURI: pre, postURI: post).render())
        }
        if outcome.verdict.result == .fail && !reportOnly { try exit(.integrityFailure) }
    }

    static func check(_ settings: Settings, showSettings: Bool) async throws {
        if showSettings {
            StandardStream.output.writeScrubbed(settings.table + "\n")
            return
        }
        let findings = await Wiring.check(settings, logger: logger).run()
        StandardStream.output.writeScrubbed(findings.table + "\n")
        if findings.hasFailures { throw CheckFailedError(failures: findings.filter { $0.status == .fail }) }
    }

    static func awaitJob(_ settings: Settings, job: String, timeout: Duration, keep: Bool) async throws {
        // The Job's log lines are the result: standard output. taster's own lines go to standard error.
        let watcher = try Wiring.awaitJob(settings, logger: logger) { line in StandardStream.output.writeScrubbed(line + "\n") }
        let outcome = try await watcher.run(job: job, timeout: timeout, cleanup: keep ? .keep : .deleteOnSuccess)
        logger.info("\(outcome.summary)")
    }

    /// Every command logs as `taster` (the handler is installed by `loadSettings`).
    private static var logger: Logger { Logger(label: "taster") }

    private static func exit(_ code: TasterExitCode) throws {
        if code != .pass { throw ExitCode(code.rawValue) }
    }
}
