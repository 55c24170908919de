import FoundationEssentials
import TasterSupport

/// Where reports are kept: an S3-compatible bucket, implemented by the S3 adapter.
package protocol ReportStore: Sendable {
    /// Writes an object; with `createOnly` an existing object is never overwritten (the store
    /// refuses with an error that says so).
    func put(_ key: String, data: Data, contentType: String, createOnly: Bool) async throws
    /// Reads an object of at most `maxBytes`; nil when it does not exist. A larger object is
    /// refused with `StoredObjectTooLargeError` without being read.
    func get(_ key: String, maxBytes: Int) async throws -> Data?
    func exists(_ key: String) async throws -> Bool
    /// Every object under `prefix`, with its size and time.
    func list(prefix: String) async throws -> [StoredObject]
    /// `s3://bucket/key`, for messages and reports.
    func uri(for key: String) -> String
    /// A link a person can open in a browser (a presigned URL, or one under the site that serves
    /// the bucket); nil when none can be made.
    func link(for key: String) -> String?
    /// Writes an object from a spool file without holding it whole in memory (a document index,
    /// a list of changes), create-only like `put`.
    func put(_ key: String, file: SpoolFile, contentType: String, createOnly: Bool) async throws
    /// Reads an object of at most `maxBytes` into a spool file, a part at a time; nil when it does
    /// not exist; a larger one is refused without being read.
    func download(_ key: String, maxBytes: Int) async throws -> SpoolFile?
}

extension ReportStore {
    package func link(for key: String) -> String? { nil }

    /// A store that holds objects in memory anyway.
    package func put(_ key: String, file: SpoolFile, contentType: String, createOnly: Bool) async throws {
        try await put(key, data: try file.readData(at: 0, count: file.size), contentType: contentType, createOnly: createOnly)
    }

    package func download(_ key: String, maxBytes: Int) async throws -> SpoolFile? {
        guard let data = try await get(key, maxBytes: maxBytes) else { return nil }
        let writer = try SpoolWriter(name: "download")
        try writer.write(data)
        return try writer.finish()
    }
}

/// One object of a listing.
package struct StoredObject: Sendable, Equatable {
    package var key: String
    package var size: Int
    /// As the store gives it (RFC 3339), for ordering.
    package var lastModified: String?

    package init(key: String, size: Int, lastModified: String?) {
        self.key = key
        self.size = size
        self.lastModified = lastModified
    }
}

/// An object larger than the caller will read, refused without reading it (a report is
/// kilobytes). The store's own error type says which object.
package protocol StoredObjectTooLarge: TasterError {}
