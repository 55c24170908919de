import FoundationEssentials
import TasterSupport

/// JSON for reports, verdicts and the baseline pointer: stable key order, readable, and strict
/// about `schemaVersion` when reading (an unknown version is refused, never guessed at).
package enum ReportCodec {
    package static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Free text is scrubbed on every way out: S3, standard output, the notification.
        var data = try (value as? any FreeTextScrubbing).map { try encoder.encode($0.scrubbingFreeText()) } ?? encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// Decodes a document whose `schemaVersion` must be `supported`.
    package static func decode<T: Decodable>(_ type: T.Type, from data: Data, supported: Int, source: String) throws(ReportDecodingError) -> T {
        try decode(type, from: data, supported: supported...supported, source: source)
    }

    /// Decodes a document whose `schemaVersion` must be one of `supported` (older versions a
    /// reader still understands, up to the current one).
    package static func decode<T: Decodable>(
        _ type: T.Type, from data: Data, supported: ClosedRange<Int>, source: String
    ) throws(ReportDecodingError) -> T {
        let header: SchemaHeader
        do {
            header = try JSONDecoder().decode(SchemaHeader.self, from: data)
        } catch {
            throw ReportDecodingError(source: source, problem: .notJSON(describe(error)))
        }
        guard let version = header.schemaVersion else {
            throw ReportDecodingError(source: source, problem: .missingSchemaVersion)
        }
        guard supported.contains(version) else {
            throw ReportDecodingError(source: source, problem: .unknownSchemaVersion(version, supported: supported.upperBound))
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw ReportDecodingError(source: source, problem: .invalid(describe(error)))
        }
    }

    private struct SchemaHeader: Decodable {
        var schemaVersion: Int?
    }

    static func describe(_ error: any Error) -> String {
        switch error as? DecodingError {
        case .dataCorrupted(let context)?:
            return context.debugDescription + path(context.codingPath)
        case .keyNotFound(let key, let context)?:
            return "missing field \"\(key.stringValue)\"" + path(context.codingPath)
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            return context.debugDescription + path(context.codingPath)
        default:
            return String(describing: error)
        }
    }

    private static func path(_ codingPath: [any CodingKey]) -> String {
        codingPath.isEmpty ? "" : " at " + codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
    }
}

/// A report, verdict or pointer could not be read. Exit 4 (no usable baseline) by default; the
/// caller decides when it means something else.
package struct ReportDecodingError: TasterError {
    package enum Problem: Sendable, Equatable {
        case notJSON(String)
        case missingSchemaVersion
        case unknownSchemaVersion(Int, supported: Int)
        case invalid(String)
    }

    package let source: String
    package let problem: Problem

    package var exitCode: TasterExitCode { .noBaseline }

    package var description: String {
        switch problem {
        case .notJSON(let detail):
            "\(source) is not a taster report (not valid JSON: \(detail)); it may be truncated or was written by something else"
        case .missingSchemaVersion:
            "\(source) has no schemaVersion: it is not a taster report"
        case .unknownSchemaVersion(let version, let supported):
            "\(source) has schemaVersion \(version), but this taster (\(TasterVersion.current)) reads versions up to \(supported); run the same taster version for pre-taste and post-taste, or take a new baseline"
        case .invalid(let detail):
            "\(source) is not a valid taster report: \(detail)"
        }
    }
}
