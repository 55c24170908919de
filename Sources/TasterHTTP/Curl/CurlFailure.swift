import TasterCCurl

/// A libcurl call that did not return `CURLE_OK`, before it is turned into an `HTTPError` (with
/// the request's method and URL) by `HTTPError.init(curl:errorBuffer:request:configuration:)`.
struct CurlFailure: Error {
    let code: CURLcode
    /// Which call or option failed, for the message when libcurl's error buffer is empty.
    let detail: String
}
