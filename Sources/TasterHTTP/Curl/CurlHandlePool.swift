import FoundationEssentials
import Synchronization

/// Idle easy handles kept for their open connections (keep-alive reuse across requests).
///
/// `@unchecked Sendable` because it hands non-Sendable handles between threads: a handle is
/// either in `idle` (owned by the pool, under the lock) or checked out by exactly one transfer,
/// which checks it back in when it ends. No handle is ever used by two transfers at once.
final class CurlHandlePool: @unchecked Sendable {
    private let lock = Mutex<Void>(())
    private var idle: [CurlEasyHandle] = []
    /// More idle handles than this are freed (their connections closed).
    private let capacity: Int

    init(capacity: Int = 8) {
        self.capacity = capacity
    }

    /// An idle handle, or a new one; nil only when libcurl cannot make one.
    func checkOut() -> CurlEasyHandle? {
        let reused: CurlEasyHandle? = lock.withLock { _ in idle.popLast() }
        return reused ?? CurlEasyHandle()
    }

    func checkIn(_ handle: CurlEasyHandle) {
        lock.withLock { _ in
            if idle.count < capacity { idle.append(handle) }
        }
    }
}
