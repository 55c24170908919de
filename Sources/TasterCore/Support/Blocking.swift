#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking C calls (libmongoc, libcurl) off Swift's cooperative thread pool, which has only
/// as many threads as cores: two blocking checks would otherwise stall every other task on a
/// 2-core pod.
///
/// Each call gets a thread of its own. Dispatch's global queues are not enough: on Linux they
/// start with one thread per core and add threads for blocked work only slowly (measured here:
/// eight 2-second blocking calls took 5 s on 2 cores, 2 s with a thread each), so concurrent
/// checks, waits and cancellations were delayed behind each other. A thread costs microseconds
/// next to a network round trip, and callers bound how many blocking calls run at once.
public enum Blocking {
    /// Runs `body` on a thread that may block, and resumes the caller with its result.
    ///
    /// Cancellation cannot interrupt a C call in flight: bound every call with its own timeout
    /// (derived from the `Deadline`) and check `Task.isCancelled` between calls.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let work = Work { continuation.resume(with: Result { try body() }) }
            let context = Unmanaged.passRetained(work).toOpaque()
            var attributes = pthread_attr_t()
            pthread_attr_init(&attributes)
            defer { pthread_attr_destroy(&attributes) }
            pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
            var thread = pthread_t()
            let created = pthread_create(&thread, &attributes, { context in
                let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                work.body()
                return nil
            }, context)
            if created != 0 {
                // No thread: run here rather than never (only under extreme resource exhaustion).
                Unmanaged<Work>.fromOpaque(context).takeRetainedValue().body()
            }
        }
    }

    private final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
