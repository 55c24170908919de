import FoundationEssentials
import TasterSupport

extension HTTPClient {
    /// Sends `request` once and returns as soon as the response headers arrive, with the body
    /// to read line by line as the server sends it — a Kubernetes watch.
    ///
    /// - A status other than 2xx throws `HTTPStatusError` carrying the (capped) body.
    /// - `request.timeout` bounds the whole stream when set; otherwise it lives until the server
    ///   ends it, `deadline` (when given) is reached, or the consuming task is cancelled — which
    ///   aborts the transfer within about a second (libcurl's progress callback on an idle
    ///   connection). Not retried: resuming a watch is the caller's business.
    package func streamLines(
        _ request: HTTPRequest, deadline: Deadline? = nil,
        maxLineBytes: Int = 16 << 20
    ) async throws -> HTTPLineStream {
        try Task.checkCancellation()
        var timeout = request.timeout
        if let deadline {
            guard deadline.remaining > .zero else {
                throw DeadlineExceededError(
                    step: "\(configuration.serviceName) \(request.method) \(request.shownURL)",
                    budget: deadline.budget)
            }
            timeout = min(timeout ?? deadline.remaining, deadline.remaining)
        }
        let cancellation = TransferCancellation()
        let (lines, continuation) = AsyncThrowingStream<Data, any Error>.makeStream()
        continuation.onTermination = { _ in cancellation.cancel() }
        let (status, headers) = try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (head: CheckedContinuation<(Int, HTTPHeaders), any Error>) in
                Task.detached { [configuration, pool, timeout] in
                    _ = try? await Blocking.run {
                        Self.runStream(
                            request, configuration: configuration, pool: pool, timeout: timeout, maxLineBytes: maxLineBytes,
                            cancellation: cancellation, head: head, lines: continuation)
                    }
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
        return HTTPLineStream(status: status, headers: headers, lines: lines)
    }

    /// The streaming transfer, on a blocking thread: resumes `head` exactly once (headers, or
    /// the failure), then feeds `lines` until the transfer ends.
    private static func runStream(
        _ request: HTTPRequest, configuration: HTTPClientConfiguration, pool: CurlHandlePool,
        timeout: Duration?, maxLineBytes: Int, cancellation: TransferCancellation,
        head: CheckedContinuation<(Int, HTTPHeaders), any Error>,
        lines: AsyncThrowingStream<Data, any Error>.Continuation
    ) {
        guard let handle = pool.checkOut() else {
            head.resume(throwing: noHandle(request, configuration))
            lines.finish()
            return
        }
        defer { pool.checkIn(handle) }
        let transfer = CurlTransfer(
            handle: handle, request: request, configuration: configuration,
            timeout: timeout, cancellation: cancellation)
        let errorBodyLimit = 64 << 10
        var splitter = LineSplitter(maxLineBytes: maxLineBytes)
        var headSent = false
        var failedStatus: (Int, HTTPHeaders)?
        var errorBody = Data()
        var lineTooLong = false
        transfer.onHead = { status, headers in
            if (200..<300).contains(status) {
                headSent = true
                head.resume(returning: (status, headers))
            } else {
                failedStatus = (status, headers)
            }
        }
        transfer.onBody = { bytes in
            if failedStatus != nil {
                errorBody.append(contentsOf: bytes.prefix(max(0, errorBodyLimit - errorBody.count)))
                return true
            }
            guard let complete = splitter.push(bytes) else {
                lineTooLong = true
                return false
            }
            for line in complete { lines.yield(line) }
            return true
        }
        do {
            try transfer.run()
            if let (status, headers) = failedStatus {
                head.resume(
                    throwing: HTTPStatusError(
                        service: configuration.serviceName, method: request.method.rawValue,
                        url: request.shownURL, status: status,
                        headers: headers, body: errorBody))
                lines.finish()
                return
            }
            if !headSent {
                // A 2xx without a header block cannot happen with libcurl; keep the contract anyway.
                head.resume(returning: (transfer.status, transfer.headers))
            }
            if let last = splitter.finish() { lines.yield(last) }
            lines.finish()
        } catch is CancellationError where lineTooLong {
            var failure = HTTPError(
                kind: .responseTooLarge(limit: maxLineBytes, declaredSize: nil), service: configuration.serviceName,
                method: request.method.rawValue, url: request.shownURL,
                curlMessage: "", curlCode: nil, advice: "a line this long is not what taster expects in a stream")
            failure.attempts = 1
            if headSent { lines.finish(throwing: failure) } else { head.resume(throwing: failure); lines.finish() }
        } catch {
            if headSent {
                if error is CancellationError { lines.finish() } else { lines.finish(throwing: error) }
            } else {
                head.resume(throwing: error)
                lines.finish()
            }
        }
    }
}
