import TasterCCurl

extension HTTPError {
    /// The one place a libcurl failure becomes a Swift error: the CURLcode picks the kind and
    /// the advice; the error buffer (else `curl_easy_strerror`) supplies curl's own words.
    init(
        curl code: CURLcode, errorBuffer: String, method: HTTPMethod, shownURL url: String,
        timeout: Duration, configuration: HTTPClientConfiguration
    ) {
        let strerror = String(cString: curl_easy_strerror(code))
        let message = errorBuffer.isEmpty ? strerror : errorBuffer
        let kind: Kind
        let advice: String
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            kind = .connectionFailed
            advice = "check the host name of the \(configuration.serviceName) endpoint and this machine's DNS"
        case CURLE_COULDNT_CONNECT:
            kind = .connectionFailed
            advice = "check that the \(configuration.serviceName) endpoint's address and port are right and that it is up and reachable from here"
        case CURLE_PEER_FAILED_VERIFICATION:
            kind = .certificateVerificationFailed
            advice = configuration.tlsVerificationAdvice
        case CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND,
            CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tlsConfigurationFailed
            advice = "check the CA bundle and client certificate and key given to taster: each must be readable PEM, and the key must belong to the certificate"
        case CURLE_SSL_CONNECT_ERROR:
            kind = .tlsFailed
            advice =
                "check that the \(configuration.serviceName) endpoint speaks TLS on this port (or use http://) and that its certificate and protocol are acceptable"
        case CURLE_OPERATION_TIMEDOUT:
            kind = .timedOut(timeout)
            advice = "the \(configuration.serviceName) endpoint is slow or unreachable; check its health and the network"
        case CURLE_FILESIZE_EXCEEDED:
            kind = .responseTooLarge(limit: 0, declaredSize: nil)
            advice = "this is not what taster expects to read here"
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_WEIRD_SERVER_REPLY, CURLE_READ_ERROR:
            kind = .transferFailed
            advice = "the \(configuration.serviceName) endpoint or something between (a proxy, a load balancer) dropped the connection; check its logs"
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT, CURLE_NOT_BUILT_IN,
            CURLE_UNKNOWN_OPTION:
            kind = .invalidRequest
            advice = "this is a bug in taster or an unusable endpoint setting; report it with this message"
        default:
            kind = .transferFailed
            advice = "check that the \(configuration.serviceName) endpoint is up and reachable"
        }
        self.init(
            kind: kind, service: configuration.serviceName, method: method.rawValue, url: url,
            curlMessage: message, curlCode: Int(code.rawValue), advice: advice)
    }
}
