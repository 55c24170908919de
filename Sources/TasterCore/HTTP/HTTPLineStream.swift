import FoundationEssentials

/// A streamed 2xx response, delivered line by line as the server sends it (a Kubernetes watch:
/// one JSON object per line). Each element is one line without its line ending; empty lines are
/// skipped.
///
/// Iteration ends when the server ends the response; it throws `HTTPError` when the connection
/// breaks. When the consuming task is cancelled (or the stream is dropped), the transfer is
/// aborted within about a second.
public struct HTTPLineStream: AsyncSequence, Sendable {
    public typealias Element = Data
    public typealias AsyncIterator = AsyncThrowingStream<Data, any Error>.Iterator

    public let status: Int
    public let headers: HTTPHeaders
    let lines: AsyncThrowingStream<Data, any Error>

    public func makeAsyncIterator() -> AsyncIterator {
        lines.makeAsyncIterator()
    }
}
