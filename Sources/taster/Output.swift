import ArgumentParser
import FoundationEssentials
import TasterCore
import TasterSupport

/// Prints a verdict for people (table and summary line) or machines (the verdict JSON).
func printVerdict(_ verdict: Verdict, output: OutputFormat, reportURIs: [String: String] = [:]) throws {
    switch output {
    case .table:
        StandardStream.output.writeScrubbed(verdict.table + "\n\n" + Announcement.linked(verdict.summary, reportURIs: reportURIs) + "\n")
    case .json:
        StandardStream.output.write(String(decoding: try ReportCodec.encode(verdict), as: UTF8.self))
    }
}

/// Writes a file the user asked for (`--html`), saying clearly when it cannot.
func writeFile(_ path: String, _ text: String) throws {
    do {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    } catch {
        throw ValidationError("cannot write \(path): \(error)")
    }
}
