import Dispatch

/// Runs blocking C calls (libmongoc, libcurl) off Swift's cooperative thread pool, which has only
/// as many threads as cores: two blocking checks would otherwise stall every other task on a
/// 2-core pod. Dispatch's global queue adds threads for blocking work.
public enum Blocking {
    private static let queue = DispatchQueue(label: "taster.blocking", attributes: .concurrent)

    /// Runs `body` on a thread that may block, and resumes the caller with its result.
    ///
    /// Cancellation cannot interrupt a C call in flight: bound every call with its own timeout
    /// (derived from the `Deadline`) and check `Task.isCancelled` between calls.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
