import Foundation

/// `<prefix>/latest-pre.json`: which run holds the newest baseline. Written (replacing the
/// previous one) by `pre-taste` after its `pre.json` is stored; read by `post-taste` and
/// `restore` to find the baseline.
///
/// ```json
/// {"key":"taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json","runId":"20261121T100000Z","time":"2026-11-21T10:00:03.120Z"}
/// ```
public struct LatestPrePointer: Codable, Sendable, Equatable {
    public var runID: String
    /// When the baseline was stored, RFC 3339 UTC.
    public var time: String
    /// The baseline's key in the same bucket.
    public var key: String

    enum CodingKeys: String, CodingKey {
        case runID = "runId"
        case time
        case key
    }

    public init(runID: String, time: String, key: String) {
        self.runID = runID
        self.time = time
        self.key = key
    }

    /// The pointer for `location`'s baseline, stored now.
    public init(location: ReportLocation, time: String = Timestamp.rfc3339()) {
        self.init(runID: location.runID, time: time, key: location.key(.pre))
    }

    /// Compact JSON with sorted keys.
    public func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Reads a pointer; a document that is not one is "no usable baseline" (exit 4).
    public static func decode(_ data: Data, from uri: S3URI) throws(LatestPrePointerError) -> LatestPrePointer {
        do {
            let pointer = try JSONDecoder().decode(LatestPrePointer.self, from: data)
            guard !pointer.runID.isEmpty, !pointer.key.isEmpty else {
                throw LatestPrePointerError(uri: uri, reason: "has an empty runId or key")
            }
            return pointer
        } catch let error as LatestPrePointerError {
            throw error
        } catch {
            throw LatestPrePointerError(uri: uri, reason: "is not a JSON object with runId, time and key")
        }
    }
}
