import TasterCMongoC
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

/// The one mapping from libmongoc's `bson_error_t` to what a person reads: a kind, an exit code,
/// the host, libmongoc's message and what to try; never a secret.
@Suite("MongoDB errors")
struct MongoErrorTests {
    func error(domain: UInt32, code: UInt32, message: String, origin: MongoError.Origin = .operation) -> MongoError {
        var raw = bson_error_t()
        raw.domain = domain
        raw.code = code
        withUnsafeMutableBytes(of: &raw.message) { buffer in
            let bytes = Array(message.utf8.prefix(buffer.count - 1)) + [0]
            buffer.copyBytes(from: bytes)
        }
        return MongoError(raw, origin: origin, operation: "ping", host: "mongo.pxbbq.svc:27017")
    }

    @Test(
        "libmongoc's domains and codes become kinds with exit codes",
        arguments: [
            (
                MONGOC_ERROR_CLIENT.rawValue, MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue, "Authentication failed.", MongoError.Kind.authentication,
                TasterExitCode.dependency
            ),
            (
                MONGOC_ERROR_SERVER_SELECTION.rawValue, MONGOC_ERROR_SERVER_SELECTION_FAILURE.rawValue, "No suitable servers found: [connection refused]",
                .unreachable, .dependency
            ),
            (
                MONGOC_ERROR_SERVER_SELECTION.rawValue, MONGOC_ERROR_SERVER_SELECTION_FAILURE.rawValue,
                "[TLS handshake failed: certificate verify failed (20)]", .tls, .dependency
            ),
            (
                MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_STREAM_SOCKET.rawValue, "Failed to read 4 bytes: socket error or timeout", .connectionLost,
                .dependency
            ),
            (MONGOC_ERROR_STREAM.rawValue, MONGOC_ERROR_STREAM_CONNECT.rawValue, "Failed to connect to target host", .unreachable, .dependency),
            (MONGOC_ERROR_SERVER.rawValue, 13, "not authorized on pxbbq to execute command", .authorization, .dependency),
            (MONGOC_ERROR_SERVER.rawValue, 50, "operation exceeded time limit", .timeout, .dependency),
            (MONGOC_ERROR_SERVER.rawValue, 2, "unknown operator: $foo", .rejected, .usage),
            (MONGOC_ERROR_SERVER.rawValue, 11600, "interrupted at shutdown", .unreachable, .dependency),
            (MONGOC_ERROR_SERVER.rawValue, 1, "internal error", .server, .dependency),
        ])
    func classification(domain: UInt32, code: UInt32, message: String, kind: MongoError.Kind, exit: TasterExitCode) {
        let mapped = error(domain: domain, code: code, message: message)
        #expect(mapped.kind == kind)
        #expect(mapped.exitCode == exit)
        #expect(mapped.description.contains("mongo.pxbbq.svc:27017"), "names the host")
        #expect(mapped.description.contains(message), "keeps libmongoc's message")
        #expect(mapped.description.contains("; "), "says what to try")
    }

    @Test("parse errors exit 2; a secret inside libmongoc's message is scrubbed")
    func parseErrorsAndScrubbing() {
        #expect(error(domain: 1, code: 1, message: "bad", origin: .json).exitCode == .usage)
        #expect(error(domain: 1, code: 1, message: "bad", origin: .uri).kind == .invalidURI)
        SecretRedactor.shared.register("s3cr3t-in-message", origin: "MONGO_TEST")
        let mapped = error(
            domain: MONGOC_ERROR_CLIENT.rawValue, code: MONGOC_ERROR_CLIENT_AUTHENTICATE.rawValue,
            message: "failed for s3cr3t-in-message")
        #expect(!mapped.description.contains("s3cr3t-in-message"))
        #expect(mapped.detail == SecretRedactor.notice(["MONGO_TEST"]))
        // A piece of it, as libmongoc prints a host that an unescaped @ cut out of a password.
        let piece = error(
            domain: MONGOC_ERROR_STREAM.rawValue, code: MONGOC_ERROR_STREAM_NAME_RESOLUTION.rawValue,
            message: "Failed to resolve 'in-message@127.0.0.1'")
        #expect(piece.detail == SecretRedactor.notice(["MONGO_TEST"]))
    }
}
