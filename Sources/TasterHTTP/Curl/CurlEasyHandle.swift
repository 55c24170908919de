import FoundationEssentials
import TasterCCurl
import TasterCurlShims
import TasterSupport

/// Owns one libcurl easy handle and its `CURLOPT_ERRORBUFFER`, and frees both exactly once.
///
/// A handle keeps its connection cache between transfers (keep-alive reuse), so `HTTPClient`
/// returns handles to a pool instead of freeing them. One transfer uses a handle at a time;
/// the typed `set` functions call the non-variadic shims in `TasterCurlShims`.
final class CurlEasyHandle {
    let raw: UnsafeMutableRawPointer
    /// libcurl writes its own, more specific message here when a call fails.
    private let errorBuffer: UnsafeMutablePointer<CChar>

    /// A new handle, or nil when libcurl cannot make one (out of memory, or global init failed).
    init?() {
        guard CurlGlobal.initialised == CURLE_OK, let handle = curl_easy_init() else { return nil }
        raw = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Forgets every option of the previous transfer but keeps live connections and the DNS cache.
    /// Points `CURLOPT_ERRORBUFFER` at this handle's buffer again (a reset clears it).
    func reset() throws(CurlFailure) {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    /// libcurl's message for the last failure, or "" when it wrote none.
    var errorMessage: String {
        String(cString: errorBuffer).trimmingSpaces()
    }

    func set(_ option: CURLoption, _ value: Int) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_long(raw, option, value), option)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(CurlFailure) {
        try set(option, value ? 1 : 0)
    }

    func set(_ option: CURLoption, offset value: Int64) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_off_t(raw, option, curl_off_t(value)), option)
    }

    /// libcurl copies string options (all but `CURLOPT_POSTFIELDS`, which taster does not use).
    func set(_ option: CURLoption, _ value: String) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_string(raw, option, value), option)
    }

    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_pointer(raw, option, value), option)
    }

    /// The list must stay alive until the transfer using it has finished.
    func set(_ option: CURLoption, list: CurlStringList) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_slist(raw, option, list.pointer), option)
    }

    /// PEM bytes handed over with `CURL_BLOB_COPY`: libcurl keeps its own copy.
    func set(_ option: CURLoption, blob bytes: Data) throws(CurlFailure) {
        let code = bytes.withUnsafeBytes { buffer -> CURLcode in
            var blob = curl_blob(
                data: UnsafeMutableRawPointer(mutating: buffer.baseAddress), len: buffer.count,
                flags: UInt32(CURL_BLOB_COPY))
            return taster_curl_easy_setopt_blob(raw, option, &blob)
        }
        try check(code, option)
    }

    func set(_ option: CURLoption, writeFunction: curl_write_callback) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_write_callback(raw, option, writeFunction), option)
    }

    func set(_ option: CURLoption, readFunction: curl_read_callback) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_read_callback(raw, option, readFunction), option)
    }

    func set(_ option: CURLoption, seekFunction: curl_seek_callback) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_seek_callback(raw, option, seekFunction), option)
    }

    func set(_ option: CURLoption, transferInfoFunction: curl_xferinfo_callback) throws(CurlFailure) {
        try check(taster_curl_easy_setopt_xferinfo_callback(raw, option, transferInfoFunction), option)
    }

    /// Runs the configured transfer on the calling thread until it ends; blocks.
    func perform() -> CURLcode {
        curl_easy_perform(raw)
    }

    func info(long info: CURLINFO) -> Int? {
        var value = 0
        return taster_curl_easy_getinfo_long(raw, info, &value) == CURLE_OK ? value : nil
    }

    func info(offset info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        return taster_curl_easy_getinfo_off_t(raw, info, &value) == CURLE_OK ? Int64(value) : nil
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(CurlFailure) {
        guard code == CURLE_OK else { throw CurlFailure(code: code, detail: "setting curl option \(option.rawValue)") }
    }
}

@available(*, unavailable)
extension CurlEasyHandle: Sendable {}
