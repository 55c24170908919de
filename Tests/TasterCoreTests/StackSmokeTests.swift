import Foundation
import TasterCMongoC
import Testing

/// The local stack is up and answers: libmongoc from Swift pings SecantusDB and counts documents
/// as the read-only `taster` user. (S3 and Kubernetes smoke tests live in testenv/tests.)
@Suite("Local stack smoke")
struct StackSmokeTests {
    @Test("libmongoc pings SecantusDB and counts as the read-only user")
    func mongoPingAndCount() throws {
        mongoc_init()
        let collection = TestStack.uniqueName("smoke")
        let database = try TestStack.database
        try withClient(try TestStack.mongoAdminURI) { client in
            let handle = mongoc_client_get_collection(client, database, collection)!
            defer { mongoc_collection_destroy(handle) }
            var error = bson_error_t()
            for index in 0..<3 {
                let document = bson_new()!
                defer { bson_destroy(document) }
                bson_append_int32(document, "i", -1, Int32(index))
                #expect(mongoc_collection_insert_one(handle, document, nil, nil, &error), "\(message(error))")
            }
        }
        try withClient(try TestStack.mongoURI) { client in
            var error = bson_error_t()
            let ping = bson_new()!
            defer { bson_destroy(ping) }
            bson_append_int32(ping, "ping", -1, 1)
            // bson_t is opaque to Swift (128-byte aligned): the reply lives in aligned storage
            // that mongoc_client_command_simple always initialises.
            let storage = UnsafeMutableRawPointer.allocate(byteCount: 128, alignment: 128)
            defer { storage.deallocate() }
            let reply = OpaquePointer(storage)
            let pinged = mongoc_client_command_simple(client, "admin", ping, nil, reply, &error)
            bson_destroy(reply)
            #expect(pinged, "\(message(error))")

            let handle = mongoc_client_get_collection(client, database, collection)!
            defer { mongoc_collection_destroy(handle) }
            let filter = bson_new()!
            defer { bson_destroy(filter) }
            let count = mongoc_collection_count_documents(handle, filter, nil, nil, nil, &error)
            #expect(count == 3, "\(message(error))")
        }
        try withClient(try TestStack.mongoAdminURI) { client in
            let handle = mongoc_client_get_collection(client, database, collection)!
            defer { mongoc_collection_destroy(handle) }
            var error = bson_error_t()
            _ = mongoc_collection_drop(handle, &error)
        }
    }

    private func withClient(_ uri: String, _ body: (OpaquePointer) throws -> Void) throws {
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(uri, &error) else {
            Issue.record("URI rejected: \(message(error))")
            return
        }
        defer { mongoc_uri_destroy(parsed) }
        let client = mongoc_client_new_from_uri(parsed)!
        defer { mongoc_client_destroy(client) }
        mongoc_client_set_error_api(client, 2)
        try body(client)
    }

    private func message(_ error: bson_error_t) -> String {
        var error = error
        return withUnsafeBytes(of: &error.message) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
    }
}
