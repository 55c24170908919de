import TasterCMongoC
import TasterSupport

/// Owns a parsed `mongoc_uri_t`. Options taster needs (appname, timeouts) are set on it before a
/// pool is made from it; the pool keeps its own copy.
package final class MongoURI {
    package let pointer: OpaquePointer
    /// The host list without user info, for messages (`mongo.pxbbq.svc:27017`).
    let host: String

    /// Parses `string`; the error never repeats the string (it may hold a password).
    init(_ string: String) throws(MongoError) {
        MongoRuntime.initialized
        var error = bson_error_t()
        guard let parsed = mongoc_uri_new_with_error(string, &error) else {
            throw MongoError(error, origin: .uri, operation: "parsing the connection string", host: ConnectionString(string)?.hosts)
        }
        pointer = parsed
        host = ConnectionString(string)?.hosts ?? "MongoDB"
    }

    deinit {
        mongoc_uri_destroy(pointer)
    }

    /// Whether the user set `option` in the connection string.
    func has(_ option: String) -> Bool {
        mongoc_uri_has_option(pointer, option)
    }

    package func int32(_ option: String) -> Int32? {
        has(option) ? mongoc_uri_get_option_as_int32(pointer, option, 0) : nil
    }

    package func string(_ option: String) -> String? {
        guard has(option), let value = mongoc_uri_get_option_as_utf8(pointer, option, nil) else { return nil }
        return String(cString: value)
    }

    func set(_ option: String, _ value: Int32) {
        _ = mongoc_uri_set_option_as_int32(pointer, option, value)
    }

    package var appname: String? {
        get { mongoc_uri_get_appname(pointer).map { String(cString: $0) } }
        set { _ = mongoc_uri_set_appname(pointer, newValue) }
    }

    /// What is wrong with the TLS files the string names (`tlsCAFile`, `tlsCertificateKeyFile`):
    /// one text per file that is not readable.
    var unreadableTLSFiles: [String] {
        [MONGOC_URI_TLSCAFILE, MONGOC_URI_TLSCERTIFICATEKEYFILE].compactMap { option in
            guard let path = string(option), !FileProbe.isReadableFile(path) else { return nil }
            return "its \(option) \"\(path)\" is not a readable file"
        }
    }

    var username: String? {
        mongoc_uri_get_username(pointer).map { String(cString: $0) }
    }
}

@available(*, unavailable)
extension MongoURI: Sendable {}
