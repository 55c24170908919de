import FoundationEssentials

/// The workflows' report store on S3: a missing key reads as "no object", everything else that
/// goes wrong is the S3 client's error (exit 3) naming the object and what to do.
public struct S3ReportStore: ReportStore {
    public let client: S3Client

    public init(client: S3Client) {
        self.client = client
    }

    public func put(_ key: String, data: Data, contentType: String, createOnly: Bool) async throws {
        try await client.put(key: key, data: data, contentType: contentType, createOnly: createOnly)
    }

    public func get(_ key: String, maxBytes: Int) async throws -> Data? {
        do {
            return try await client.get(key: key, maxBytes: maxBytes)
        } catch let error as S3Error where error.code == "NoSuchKey" {
            return nil
        }
    }

    public func exists(_ key: String) async throws -> Bool {
        try await client.exists(key: key)
    }

    public func list(prefix: String) async throws -> [S3ObjectInfo] {
        try await client.list(prefix: prefix)
    }

    public func uri(for key: String) -> String {
        S3URI(bucket: client.bucket, key: key).description
    }
}
