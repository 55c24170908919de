import Foundation
import Synchronization

/// A plain-socket HTTP/1.1 peer on 127.0.0.1 that answers each connection's first request with
/// the next scripted reply — for what a real server cannot be told to do on cue: answer 503 with
/// `Retry-After`, never answer, or send a few chunks of a watch and then go quiet. (S3 behaviour
/// is always tested against SeaweedFS.)
final class ScriptedHTTPServer: @unchecked Sendable {
    enum Reply: Sendable {
        /// A complete response.
        case respond(status: Int, headers: [String: String] = [:], body: String = "")
        /// `200` with chunked encoding, these chunks, then silence until the client hangs up.
        case streamThenIdle(chunks: [String])
        /// Reads the request and never answers.
        case hang
    }

    let port: Int
    private let listener: Int32
    private let state = Mutex<(replies: [Reply], requests: [String], hangUps: [ContinuousClock.Instant])>(([], [], []))

    init(_ replies: [Reply]) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var reuse: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, length) == 0 && getsockname(listener, $0, &length) == 0 }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        guard bound, listen(listener, 16) == 0 else { throw TestFailure("could not listen on 127.0.0.1") }
        state.withLock { $0.replies = replies }
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// The request heads received, in order.
    var requests: [String] { state.withLock { $0.requests } }

    /// When clients hung up on a `.streamThenIdle` reply.
    var hangUps: [ContinuousClock.Instant] { state.withLock { $0.hangUps } }

    private let stopped = Atomic<Bool>(false)

    /// Closes the listener once. A second `close` would hit whatever descriptor reused the number
    /// meanwhile — in this process, often a curl connection of a test running in parallel.
    func stop() {
        guard stopped.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    private func acceptLoop() {
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { return }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.containsHeadEnd {
            let count = recv(connection, &buffer, buffer.count, 0)
            guard count > 0 else { return }
            received += buffer[0..<count]
        }
        let reply: Reply? = state.withLock { state in
            state.requests.append(String(decoding: received, as: UTF8.self))
            return state.replies.isEmpty ? nil : state.replies.removeFirst()
        }
        switch reply {
        case .respond(let status, let headers, let body)?:
            var head = "HTTP/1.1 \(status) Scripted\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n"
            for (name, value) in headers { head += "\(name): \(value)\r\n" }
            send(connection, head + "\r\n" + body)
        case .streamThenIdle(let chunks)?:
            var text = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            for chunk in chunks { text += String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n" }
            send(connection, text)
            // Silence, until the client hangs up.
            while recv(connection, &buffer, buffer.count, 0) > 0 {}
            let now = ContinuousClock.now
            state.withLock { $0.hangUps.append(now) }
        case .hang?:
            while recv(connection, &buffer, buffer.count, 0) > 0 {}
        case nil:
            send(connection, "HTTP/1.1 500 No Reply Scripted\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        }
    }

    private func send(_ connection: Int32, _ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let sent = bytes.withUnsafeBytes { Foundation.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            bytes = bytes.dropFirst(sent)
        }
    }
}

private extension [UInt8] {
    var containsHeadEnd: Bool {
        count >= 4 && (0...(count - 4)).contains { self[$0] == 13 && self[$0 + 1] == 10 && self[$0 + 2] == 13 && self[$0 + 3] == 10 }
    }
}
