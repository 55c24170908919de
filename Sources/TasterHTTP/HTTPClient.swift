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
    /// `retry.maxAttempts` times in all (or, with a budget, until the budget is spent) and never
    /// past `deadline`. Each retry is logged once, with its delay and the budget used.
    ///
    /// Returns the last response, whatever its status (its `attempts` says how many were made);
    /// throws the last `HTTPError` when no attempt got a response.
    package func execute(
        retry: RetryPolicy, deadline: Deadline,
        _ makeRequest: @Sendable (_ attempt: Int) throws -> HTTPRequest
    ) async throws -> HTTPResponse {
        let started = ContinuousClock.now
        var attempt = 0
        // What the last attempt got, for when a backoff's sleep overran the deadline: the caller
        // then learns what the service answered, not only that time ran out.
        var previous: Result<HTTPResponse, HTTPError>?
        while true {
            if let previous, deadline.remaining < RetryPolicy.shortestAttempt {
                switch previous {
                case .success(var response):
                    response.retriesStopped = .deadline
                    return response
                case .failure(var error):
                    error.retriesStopped = .deadline
                    error.stoppedByDeadline = true
                    error.retriedFor = started.duration(to: .now)
                    throw error
                }
            }
            attempt += 1
            let request = try makeRequest(attempt)
            let what = "\(configuration.serviceName) \(request.method) \(request.shownURL)"
            do {
                var response = try await send(request, deadline: deadline)
                response.attempts = attempt
                guard retry.shouldRetry(response) else { return response }
                let elapsed = started.duration(to: .now)
                switch retry.next(after: attempt, elapsed: elapsed, minimum: retry.requestedDelay(response), deadline: deadline) {
                case .retry(let delay):
                    logger.warning("\(what) answered HTTP \(response.status); \(Self.retrying(attempt: attempt, delay: delay, elapsed: elapsed, retry))")
                    previous = .success(response)
                    try await Task.sleep(for: delay)
                case .stop(let reason):
                    response.retriesStopped = reason
                    if reason != .attempts { logger.warning("\(what) answered HTTP \(response.status); \(Self.stopped(reason, elapsed: elapsed))") }
                    return response
                }
            } catch var error as HTTPError {
                error.attempts = attempt
                guard retry.shouldRetry(error) else { throw error }
                let elapsed = started.duration(to: .now)
                switch retry.next(after: attempt, elapsed: elapsed, minimum: nil, deadline: deadline) {
                case .retry(let delay):
                    logger.warning("\(what) \(error.summary) (\(error.curlMessage)); \(Self.retrying(attempt: attempt, delay: delay, elapsed: elapsed, retry))")
                    previous = .failure(error)
                    try await Task.sleep(for: delay)
                case .stop(let reason):
                    error.retriesStopped = reason
                    if reason == .deadline { error.stoppedByDeadline = true }
                    error.retriedFor = elapsed
                    throw error
                }
            }
        }
    }

    /// "trying again in 2.1 s (12 s of TASTER_S3_RETRY_BUDGET=60s used)", or with the attempt count
    /// for a policy without a budget.
    static func retrying(attempt: Int, delay: Duration, elapsed: Duration, _ retry: RetryPolicy) -> String {
        let wait = "trying again in \(Self.seconds(delay)) s"
        guard let budget = retry.budget else { return wait + " (attempt \(attempt + 1) of \(retry.maxAttempts))" }
        return wait + " (\(Self.seconds(elapsed)) s of \(budget.setting) used)"
    }

    static func stopped(_ reason: RetryStop, elapsed: Duration) -> String {
        switch reason {
        case .attempts: "no attempts left"
        case .deadline: "the run's deadline (TASTER_DEADLINE) leaves no time for another attempt"
        case .budget(let budget): "giving up: \(budget.setting) is spent (\(Self.seconds(elapsed)) s of retries)"
        }
    }

    /// Seconds with one decimal: `2.1`.
    static func seconds(_ duration: Duration) -> String {
        let tenths = (duration.milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10)"
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
