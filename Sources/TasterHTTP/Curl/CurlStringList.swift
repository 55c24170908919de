import TasterCCurl

/// Owns a `curl_slist` (request headers, `CURLOPT_RESOLVE` entries) and frees it exactly once.
///
/// libcurl keeps a pointer to the list while a transfer runs, so the list must outlive the
/// transfer that uses it: the transfer holds it until `curl_easy_perform` returns.
final class CurlStringList {
    private(set) var pointer: UnsafeMutablePointer<curl_slist>?

    init() {}

    /// Appends a copy of `entry` (libcurl copies the string).
    package func append(_ entry: String) throws(CurlFailure) {
        guard let appended = curl_slist_append(pointer, entry) else {
            throw CurlFailure(code: CURLE_OUT_OF_MEMORY, detail: "curl_slist_append")
        }
        pointer = appended
    }

    var isEmpty: Bool { pointer == nil }

    deinit {
        if let pointer { curl_slist_free_all(pointer) }
    }
}

@available(*, unavailable)
extension CurlStringList: Sendable {}
