import FoundationEssentials
import TasterCore
import TasterSupport

/// The workflows' report store on S3: a missing key reads as "no object", everything else that
/// goes wrong is the S3 client's error (exit 3) naming the object and what to do.
package struct S3ReportStore: ReportStore {
    package let client: S3Client

    package init(client: S3Client) {
        self.client = client
    }

    package func put(_ key: String, data: Data, contentType: String, createOnly: Bool) async throws {
        try await client.put(key: key, data: data, contentType: contentType, createOnly: createOnly)
    }

    package func get(_ key: String, maxBytes: Int) async throws -> Data? {
        do {
            return try await client.get(key: key, maxBytes: maxBytes)
        } catch let error as S3Error where error.code == "NoSuchKey" {
            return nil
        }
    }

    package func exists(_ key: String) async throws -> Bool {
        try await client.exists(key: key)
    }

    package func list(prefix: String) async throws -> [StoredObject] {
        try await client.list(prefix: prefix).map { StoredObject(key: $0.key, size: Int($0.size), lastModified: $0.lastModified) }
    }

    package func put(_ key: String, file: SpoolFile, contentType: String, createOnly: Bool) async throws {
        try await client.put(key: key, file: file, contentType: contentType, createOnly: createOnly)
    }

    package func download(_ key: String, maxBytes: Int) async throws -> SpoolFile? {
        try await client.download(key: key, maxBytes: maxBytes)
    }

    package func uri(for key: String) -> String {
        S3URI(bucket: client.bucket, key: key).description
    }
}
