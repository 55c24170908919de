import FoundationEssentials
import Logging
import TasterSupport

/// taster's HTTP client over libcurl, shared by the S3 and Kubernetes clients: one place for
/// TLS, timeouts, retries and the errors people read.
///
/// - `send` runs one buffered request; `execute` runs one with a `RetryPolicy`, building the
///   request anew for each attempt (so a signature or a rotated token is fresh);
/// - `streamLines` streams a response line by line (Kubernetes watches) until the server ends
///   it or the consuming task is cancelled.
///
/// Every transfer runs on a `Blocking` thread, never on Swift's cooperative pool, and is bounded
/// by its timeout and the run's `Deadline`. Cancelling the calling task aborts the transfer
/// within about a second. Request headers are never logged (they carry `Authorization`).
///
/// - SeeAlso: https://curl.se/libcurl/c/libcurl-easy.html
package final class HTTPClient: Sendable {
    package let configuration: HTTPClientConfiguration
    let logger: Logger
    let pool = CurlHandlePool()

    package init(configuration: HTTPClientConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends `request` once and returns the response, whatever its status.
    ///
    /// Throws `HTTPError` when no complete response arrived, `DeadlineExceededError` when the
    /// deadline has no time left before sending, `CancellationError` when the task was cancelled.
    package func send(_ request: HTTPRequest, deadline: Deadline) async throws -> HTTPResponse {
        try Task.checkCancellation()
        let wanted = request.timeout ?? configuration.requestTimeout
        let remaining = deadline.remaining
        guard remaining > .zero else {
            throw DeadlineExceededError(
                step: "\(configuration.serviceName) \(request.method) \(request.shownURL)",
                budget: deadline.budget)
        }
        let timeout = min(wanted, remaining)
        let cancellation = TransferCancellation()
        let started = ContinuousClock.now
        do {
            let response = try await withTaskCancellationHandler {
                try await Blocking.run { [configuration, pool] in
                    guard let handle = pool.checkOut() else { throw Self.noHandle(request, configuration) }
                    defer { pool.checkIn(handle) }
                    let transfer = CurlTransfer(
                        handle: handle, request: request, configuration: configuration,
                        timeout: timeout, cancellation: cancellation)
                    try transfer.run()
                    return HTTPResponse(status: transfer.status, headers: transfer.headers, body: transfer.body)
                }
            } onCancel: {
                cancellation.cancel()
            }
            logger.debug(
                "\(configuration.serviceName) \(request.method) \(request.shownURL) -> \(response.status)",
                metadata: ["ms": "\(started.duration(to: .now).milliseconds)", "bytes": "\(response.body.count)"])
            return response
        } catch var error as HTTPError {
            if case .timedOut = error.kind, timeout < wanted { error.stoppedByDeadline = true }
            throw error
        }
    }

    /// Sends the request `makeRequest` builds for each attempt (1, 2, …) under `retry`: transient
    /// failures and retryable statuses are tried again after a backoff, at most
    /// `retry.maxAttempts` times in all and never past `deadline`.
    ///
    /// Returns the last response, whatever its status (its `attempts` says how many were made);
    /// throws the last `HTTPError` when no attempt got a response.
    package func execute(
        retry: RetryPolicy, deadline: Deadline,
        _ makeRequest: @Sendable (_ attempt: Int) throws -> HTTPRequest
    ) async throws -> HTTPResponse {
        var attempt = 0
        while true {
            attempt += 1
            let request = try makeRequest(attempt)
            let what = "\(configuration.serviceName) \(request.method) \(request.shownURL)"
            do {
                var response = try await send(request, deadline: deadline)
                response.attempts = attempt
                guard retry.shouldRetry(response), attempt < retry.maxAttempts else { return response }
                let requested = retry.requestedDelay(response)
                logger.warning("\(what) answered HTTP \(response.status); trying again (attempt \(attempt + 1) of \(retry.maxAttempts))")
                guard try await retry.wait(after: attempt, minimum: requested, deadline: deadline) else {
                    logger.warning("\(what): the run's deadline leaves no time for another attempt")
                    return response
                }
            } catch var error as HTTPError {
                error.attempts = attempt
                guard retry.shouldRetry(error), attempt < retry.maxAttempts else { throw error }
                logger.warning("\(what) failed (\(error.summary): \(error.curlMessage)); trying again (attempt \(attempt + 1) of \(retry.maxAttempts))")
                guard try await retry.wait(after: attempt, minimum: nil, deadline: deadline) else {
                    error.stoppedByDeadline = true
                    throw error
                }
            }
        }
    }

    /// `execute` for a request that is the same on every attempt.
    package func execute(_ request: HTTPRequest, retry: RetryPolicy, deadline: Deadline) async throws -> HTTPResponse {
        try await execute(retry: retry, deadline: deadline) { _ in request }
    }

    static func noHandle(_ request: HTTPRequest, _ configuration: HTTPClientConfiguration) -> HTTPError {
        HTTPError(
            kind: .invalidRequest, service: configuration.serviceName, method: request.method.rawValue,
            url: request.shownURL, curlMessage: "curl_easy_init failed", curlCode: nil,
            advice: "libcurl could not start (out of memory, or its TLS library failed to load)")
    }
}
