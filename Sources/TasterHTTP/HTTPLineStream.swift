import FoundationEssentials

/// A streamed 2xx response, delivered line by line as the server sends it (a Kubernetes watch:
/// one JSON object per line). Each element is one line without its line ending; empty lines are
/// skipped.
///
/// Iteration ends when the server ends the response; it throws `HTTPError` when the connection
/// breaks. When the consuming task is cancelled (or the stream is dropped), the transfer is
/// aborted within about a second.
package struct HTTPLineStream: AsyncSequence, Sendable {
    package typealias Element = Data
    package typealias AsyncIterator = AsyncThrowingStream<Data, any Error>.Iterator

    package let status: Int
    package let headers: HTTPHeaders
    let lines: AsyncThrowingStream<Data, any Error>

    package func makeAsyncIterator() -> AsyncIterator {
        lines.makeAsyncIterator()
    }
}
