import FoundationEssentials
import TasterCore
import TasterSupport

/// The workflows' report store on S3: a missing key reads as "no object", everything else that
/// goes wrong is the S3 client's error (exit 3) naming the object and what to do.
package struct S3ReportStore: ReportStore {
    package let client: S3Client
    /// How `link(for:)` makes links.
    package let links: Links

    /// A presigned URL valid for `expiry`, or a URL under a site that serves the bucket's keys.
    package enum Links: Sendable {
        case presigned(expiry: Duration)
        case base(String)
        case none
    }

    package init(client: S3Client, links: Links = .none) {
        self.client = client
        self.links = links
    }

    /// The links `settings` ask for: `TASTER_REPORT_BASE_URL`, else presigned for `TASTER_LINK_EXPIRY`.
    package init(client: S3Client, settings: S3Settings) {
        self.init(client: client, links: settings.reportBaseURL.map { .base($0) } ?? .presigned(expiry: settings.linkExpiry))
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

    /// A presigned link is not made with temporary credentials: it would carry the session
    /// token to everyone who reads the chat, and die with the session (an hour or so) long
    /// before `TASTER_LINK_EXPIRY`. `TASTER_REPORT_BASE_URL` links instead.
    package func link(for key: String) -> String? {
        switch links {
        case .none: return nil
        case .base(let url): return ReportLinks(base: .absolute(url), pageKey: key).href(for: key)
        case .presigned(let expiry):
            guard let url = client.presignedURL(key: key, expires: expiry) else {
                client.logger.info(
                    "no presigned link to \(uri(for: key)): the credentials are temporary (a session token); set TASTER_REPORT_BASE_URL to link the page")
                return nil
            }
            return url
        }
    }
}
