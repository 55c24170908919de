#if canImport(Glibc)
import Glibc
#endif

/// A thread of its own for work that blocks (a C call, reading the signal pipe), outside Swift's
/// cooperative pool. It inherits the signal mask of the thread that starts it.
enum DetachedThread {
    /// Starts `body` on a new detached thread; false when no thread could be created (only under
    /// extreme resource exhaustion), and `body` has not run.
    @discardableResult
    static func start(_ body: @escaping @Sendable () -> Void) -> Bool {
        let work = Work(body)
        let context = Unmanaged.passRetained(work).toOpaque()
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setdetachstate(&attributes, Int32(PTHREAD_CREATE_DETACHED))
        var thread = pthread_t()
        let created = pthread_create(
            &thread, &attributes,
            { context in
                let work = Unmanaged<Work>.fromOpaque(context!).takeRetainedValue()
                work.body()
                return nil
            }, context)
        if created != 0 {
            Unmanaged<Work>.fromOpaque(context).release()
            return false
        }
        return true
    }

    private final class Work: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
