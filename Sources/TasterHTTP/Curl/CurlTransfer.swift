import FoundationEssentials
import TasterCCurl
import TasterSupport

/// One request on one easy handle: configures the handle, runs the transfer on the calling
/// (blocking) thread, and collects the response.
///
/// The C callbacks capture nothing; they reach this object through an `Unmanaged` pointer, and
/// `run()` keeps it alive across `curl_easy_perform` with `withExtendedLifetime`. Everything here
/// happens on the one thread running the transfer.
final class CurlTransfer {
    let handle: CurlEasyHandle
    let request: HTTPRequest
    let configuration: HTTPClientConfiguration
    /// The whole transfer's limit; nil for none (a stream that lives until cancelled).
    let timeout: Duration?
    let cancellation: TransferCancellation
    /// Largest buffered body accepted; ignored when `onBody` takes the body.
    let maxBodyBytes: Int

    /// Called once, when the final (non-1xx) response's headers are complete.
    var onHead: ((Int, HTTPHeaders) -> Void)?
    /// Takes the body instead of the buffer; returning false stops the transfer.
    var onBody: ((UnsafeRawBufferPointer) -> Bool)?

    private(set) var status = 0
    private(set) var headers = HTTPHeaders()
    private(set) var body = Data()
    private var headComplete = false
    private var exceededLimit = false
    private var stoppedByReceiver = false
    private var uploadOffset = 0
    /// Lists libcurl points into during the transfer.
    private var lists: [CurlStringList] = []

    init(
        handle: CurlEasyHandle, request: HTTPRequest, configuration: HTTPClientConfiguration,
        timeout: Duration?, cancellation: TransferCancellation
    ) {
        self.handle = handle
        self.request = request
        self.configuration = configuration
        self.timeout = timeout
        self.cancellation = cancellation
        maxBodyBytes = request.maxResponseBytes ?? configuration.maxResponseBytes
    }

    /// Runs the transfer to its end. Throws `CancellationError` when it was cancelled, else an
    /// `HTTPError` for any failure before a complete response arrived.
    func run() throws {
        do {
            try configure()
        } catch {
            throw failure(for: error.code)
        }
        let code = withExtendedLifetime(self) { handle.perform() }
        lists.removeAll()
        if cancellation.isCancelled && (code == CURLE_ABORTED_BY_CALLBACK || code == CURLE_WRITE_ERROR) {
            throw CancellationError()
        }
        if stoppedByReceiver { throw CancellationError() }
        if exceededLimit || code == CURLE_FILESIZE_EXCEEDED {
            let declared = Int64(headers["Content-Length"] ?? "") ?? handle.info(offset: CURLINFO_CONTENT_LENGTH_DOWNLOAD_T)
            var tooLarge = failure(for: code)
            tooLarge.kind = .responseTooLarge(limit: maxBodyBytes, declaredSize: declared.flatMap { $0 >= 0 ? $0 : nil })
            tooLarge.advice = "a response this large is not what taster expects here"
            throw tooLarge
        }
        guard code == CURLE_OK else { throw failure(for: code) }
        status = handle.info(long: CURLINFO_RESPONSE_CODE) ?? status
    }

    private func failure(for code: CURLcode) -> HTTPError {
        HTTPError(
            curl: code, errorBuffer: handle.errorMessage, method: request.method, shownURL: request.shownURL,
            timeout: timeout ?? .zero, configuration: configuration)
    }

    // MARK: - Options

    private func configure() throws(CurlFailure) {
        try handle.reset()
        try handle.set(CURLOPT_URL, request.url)
        try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try handle.set(CURLOPT_NOSIGNAL, true)
        // Send the path exactly as signed: no squashing of "/./" or "/../".
        try handle.set(CURLOPT_PATH_AS_IS, true)
        try handle.set(CURLOPT_FOLLOWLOCATION, false)
        try handle.set(CURLOPT_TCP_KEEPALIVE, true)
        try handle.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, true)
        try handle.set(CURLOPT_USERAGENT, configuration.userAgent)
        try handle.set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(configuration.connectTimeout))
        if let timeout { try handle.set(CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)) }
        try configureTLS(configuration.tls)
        if !configuration.resolve.isEmpty {
            try handle.set(CURLOPT_RESOLVE, list: try makeList(configuration.resolve))
        }
        try configureHeaders()
        try configureMethodAndBody()

        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_HEADERFUNCTION, writeFunction: curlHeaderCallback)
        try handle.set(CURLOPT_HEADERDATA, pointer: context)
        try handle.set(CURLOPT_WRITEFUNCTION, writeFunction: curlWriteCallback)
        try handle.set(CURLOPT_WRITEDATA, pointer: context)
        try handle.set(CURLOPT_NOPROGRESS, false)
        try handle.set(CURLOPT_XFERINFOFUNCTION, transferInfoFunction: curlProgressCallback)
        try handle.set(CURLOPT_XFERINFODATA, pointer: context)
        // A HEAD response's Content-Length is the object's size, not a body to refuse.
        if onBody == nil && request.method != .head {
            try handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(maxBodyBytes))
        }
    }

    private func configureTLS(_ tls: TLSConfiguration) throws(CurlFailure) {
        try handle.set(CURLOPT_SSL_VERIFYPEER, tls.verifiesPeer)
        try handle.set(CURLOPT_SSL_VERIFYHOST, tls.verifiesPeer ? 2 : 0)
        if let authority = tls.certificateAuthority {
            // The given CA replaces the system's trust store, as kubectl and the AWS CLI do.
            try handle.set(CURLOPT_CAPATH, pointer: nil)
            switch authority {
            case .file(let path): try handle.set(CURLOPT_CAINFO, path)
            case .pem(let data): try handle.set(CURLOPT_CAINFO_BLOB, blob: data)
            }
        }
        switch tls.clientCertificate {
        case .file(let path)?: try handle.set(CURLOPT_SSLCERT, path)
        case .pem(let data)?: try handle.set(CURLOPT_SSLCERT_BLOB, blob: data)
        case nil: break
        }
        if tls.clientCertificate != nil { try handle.set(CURLOPT_SSLCERTTYPE, "PEM") }
        switch tls.clientKey {
        case .file(let path)?: try handle.set(CURLOPT_SSLKEY, path)
        case .pem(let data)?: try handle.set(CURLOPT_SSLKEY_BLOB, blob: data)
        case nil: break
        }
        if tls.clientKey != nil { try handle.set(CURLOPT_SSLKEYTYPE, "PEM") }
    }

    private func configureHeaders() throws(CurlFailure) {
        var lines: [String] = []
        for (name, value) in request.headers {
            guard !name.isEmpty, !name.contains(where: { $0 == ":" || $0.isNewline || $0 == " " }),
                !value.contains(where: \.isNewline)
            else {
                throw CurlFailure(code: CURLE_BAD_FUNCTION_ARGUMENT, detail: "header \"\(name)\" has a name or value that cannot be sent")
            }
            // "Name;" is libcurl's spelling of a header with an empty value.
            lines.append(value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        // No "Expect: 100-continue" round trip before an upload.
        if !request.headers.contains("Expect") { lines.append("Expect:") }
        try handle.set(CURLOPT_HTTPHEADER, list: try makeList(lines))
    }

    private func configureMethodAndBody() throws(CurlFailure) {
        switch request.method {
        case .get where request.body == nil:
            try handle.set(CURLOPT_HTTPGET, true)
        case .head:
            try handle.set(CURLOPT_NOBODY, true)
        case .put, .post, .patch:
            try configureUpload()
        default:
            if request.body != nil { try configureUpload() }
        }
        if request.method != .get && request.method != .head && request.method != .put {
            try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
    }

    private func configureUpload() throws(CurlFailure) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        try handle.set(CURLOPT_UPLOAD, true)
        try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(request.body?.count ?? 0))
        try handle.set(CURLOPT_READFUNCTION, readFunction: curlReadCallback)
        try handle.set(CURLOPT_READDATA, pointer: context)
        // libcurl rewinds the body when it resends on a fresh connection (a kept-alive one closed).
        try handle.set(CURLOPT_SEEKFUNCTION, seekFunction: curlSeekCallback)
        try handle.set(CURLOPT_SEEKDATA, pointer: context)
    }

    private func makeList(_ entries: [String]) throws(CurlFailure) -> CurlStringList {
        let list = CurlStringList()
        for entry in entries { try list.append(entry) }
        lists.append(list)
        return list
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int(duration.milliseconds))
    }

    // MARK: - Callbacks

    fileprivate func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0 && (bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r")) { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response begins (after a 100 Continue, or a proxy's answer): start over.
            let parts = line.split(separator: " ", maxSplits: 2)
            status = parts.count > 1 ? Int(parts[1]) ?? 0 : 0
            headers = HTTPHeaders()
            return
        }
        if line.isEmpty {
            if status >= 200 && !headComplete {
                headComplete = true
                onHead?(status, headers)
            }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = String(line[..<colon])
        let value = String(line[line.index(after: colon)...]).trimmingSpaces()
        headers.add(name: name, value: value)
    }

    fileprivate func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if let onBody {
            if onBody(bytes) { return bytes.count }
            stoppedByReceiver = true
            return 0
        }
        guard body.count + bytes.count <= maxBodyBytes else {
            exceededLimit = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    fileprivate func sendBody(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        guard let upload = request.body, uploadOffset < upload.count else { return 0 }
        let count = min(buffer.count, upload.count - uploadOffset)
        upload.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }

    fileprivate func rewindBody(to offset: Int64) -> Bool {
        guard offset >= 0, offset <= Int64(request.body?.count ?? 0) else { return false }
        uploadOffset = Int(offset)
        return true
    }
}

@available(*, unavailable)
extension CurlTransfer: Sendable {}

// The C callbacks: no captures, the transfer comes from the context pointer.

private let curlHeaderCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.receiveHeader(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}

private let curlWriteCallback: curl_write_callback = { data, size, count, context in
    guard let data, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

private let curlReadCallback: curl_read_callback = { buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.sendBody(into: UnsafeMutableRawBufferPointer(start: buffer, count: size * count))
}

private let curlSeekCallback: curl_seek_callback = { context, offset, origin in
    guard let context, origin == SEEK_SET else { return Int32(CURL_SEEKFUNC_CANTSEEK) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.rewindBody(to: Int64(offset)) ? Int32(CURL_SEEKFUNC_OK) : Int32(CURL_SEEKFUNC_FAIL)
}

/// Called about once a second even on an idle connection: a non-zero return aborts the
/// transfer, which is how a cancelled task stops a watch.
private let curlProgressCallback: curl_xferinfo_callback = { context, _, _, _, _ in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    return transfer.cancellation.isCancelled ? 1 : 0
}
