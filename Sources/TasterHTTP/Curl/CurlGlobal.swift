import TasterCCurl

/// libcurl's process-wide initialisation, done exactly once before the first easy handle is made.
///
/// `curl_global_init` is not thread-safe and must not run twice; a `static let` is initialised
/// lazily, once, under the runtime's own lock.
enum CurlGlobal {
    /// `CURL_GLOBAL_ALL` (`CURL_GLOBAL_SSL | CURL_GLOBAL_WIN32`): a macro Swift does not import.
    private static let globalAll: Int = 3

    /// The result of the one call; `CURLE_OK` unless libcurl could not initialise.
    static let initialised: CURLcode = curl_global_init(globalAll)
}
