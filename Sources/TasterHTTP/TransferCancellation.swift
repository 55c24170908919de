import Synchronization

/// Set when the Swift task that owns a transfer is cancelled (or a stream's consumer goes
/// away); libcurl's progress callback reads it and aborts the transfer, at the latest about a
/// second later when the connection is idle.
final class TransferCancellation: Sendable {
    private let flag = Atomic<Bool>(false)

    func cancel() { flag.store(true, ordering: .relaxed) }

    var isCancelled: Bool { flag.load(ordering: .relaxed) }
}
