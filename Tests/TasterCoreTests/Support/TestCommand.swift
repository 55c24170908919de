import Foundation

/// Runs a program to completion without blocking Swift's cooperative threads: output goes to
/// temporary files (no pipe can fill up), and the exit is awaited through the termination handler.
struct TestCommand {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil,
        stdin: String? = nil
    ) async throws -> Result {
        let folder = try TemporaryDirectory("taster-child")
        let outURL = folder.path("stdout")
        let errURL = folder.path("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        if let stdin {
            let inURL = folder.path("stdin")
            try stdin.write(to: inURL, atomically: true, encoding: .utf8)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return withExtendedLifetime(folder) {
            Result(
                status: status,
                stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
        }
    }
}

/// pymongo from the stack's venv, as the independent witness: tests insert their data with it
/// and compare taster's numbers with what pymongo (or plain Python) computes.
enum PyMongo {
    /// Runs `script` after a prelude that connects `client` as root (or to `uri`) and sets `db`
    /// to the stack's database. Returns what the script prints; throws with its stderr on failure.
    @discardableResult
    static func run(_ script: String, uri: String? = nil, database: String? = nil) async throws -> String {
        let prelude = """
            import os, sys, json, struct, hashlib, datetime
            import bson, pymongo
            from bson import ObjectId, Decimal128, Int64, SON
            from decimal import Decimal
            client = pymongo.MongoClient(os.environ["PYMONGO_URI"], serverSelectionTimeoutMS=10000)
            db = client[os.environ["PYMONGO_DB"]]

            """
        var environment = ProcessInfo.processInfo.environment
        environment["PYMONGO_URI"] = try uri ?? TestStack.mongoAdminURI
        environment["PYMONGO_DB"] = try database ?? TestStack.database
        let result = try await TestCommand.run(
            try TestStack.bin("python"), ["-"], environment: environment,
            stdin: prelude + script)
        guard result.status == 0 else {
            throw TestFailure("pymongo script failed (\(result.status)):\n\(result.stderr)")
        }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Python that computes taster's documented fingerprint of `documents` (a list of dicts as
    /// decoded with SON) over `fields` — `testenv/fingerprint.py` (installed in the venv), shared with the benchmark: the
    /// witness that the encoding is what README says.
    static let fingerprintFunction = """
        from fingerprint import fingerprint

        def projected(collection, fields, filter=None):
            options = bson.codec_options.CodecOptions(document_class=SON)
            projection = {field: 1 for field in fields}
            return collection.with_options(codec_options=options).find(filter or {}, projection)

        """
}
