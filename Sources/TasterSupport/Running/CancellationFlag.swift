import Synchronization

/// Carries a task's cancellation into blocking C code running on a Dispatch thread (see
/// `Blocking`), which cannot ask `Task.isCancelled`: a long loop checks `isCancelled` between
/// C calls.
package final class CancellationFlag: Sendable {
    private let cancelled = Atomic<Bool>(false)

    package init() {}

    package func cancel() { cancelled.store(true, ordering: .relaxed) }

    package var isCancelled: Bool { cancelled.load(ordering: .relaxed) }

    /// Runs `operation` (which hands `self` to its blocking work) and sets the flag when the
    /// calling task is cancelled.
    package func bind<T: Sendable>(_ operation: () async throws -> T) async throws -> T {
        try await withTaskCancellationHandler(operation: operation, onCancel: { self.cancel() })
    }
}
