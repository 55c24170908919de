import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// A temporary file in `TMPDIR` (else `/tmp`) that holds what is too large to keep in memory (a
/// document index, a list of changes) between writing it and uploading or reading it. Written
/// once by a `SpoolWriter`, read any number of times by `SpoolReader`s; removed when the last
/// reference goes.
package final class SpoolFile: Sendable {
    package let path: String
    package let size: Int

    init(path: String, size: Int) {
        self.path = path
        self.size = size
    }

    deinit { unlink(path) }

    /// The directory spool files go to.
    package static var directory: String {
        let configured = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return configured.isEmpty ? "/tmp" : configured
    }

    /// Up to `count` bytes from `offset` (fewer at the end).
    package func read(at offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError(path: path, operation: "open", code: errno) }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset + filled)) }
            if got < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, operation: "read", code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        return Array(bytes[0..<filled])
    }
}

/// Writes a `SpoolFile` through a buffer of 1 MiB.
package final class SpoolWriter {
    private let descriptor: Int32
    private let path: String
    private var buffer: [UInt8] = []
    private var written = 0
    private static let bufferSize = 1 << 20

    /// A new file named after `name` (a prefix; made unique).
    package init(name: String) throws(SpoolError) {
        var template = Array("\(SpoolFile.directory)/taster-\(name)-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        let path = String(cString: template)
        guard descriptor >= 0 else { throw SpoolError(path: path, operation: "create", code: errno) }
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(Self.bufferSize)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if !finished { unlink(path) }
    }

    private var finished = false

    package var count: Int { written + buffer.count }

    package func write(_ bytes: some Collection<UInt8>) throws(SpoolError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    package func write(_ text: String) throws(SpoolError) {
        try write(text.utf8)
    }

    private func flush() throws(SpoolError) {
        guard !buffer.isEmpty else { return }
        guard FileIO.writeAll(descriptor, Data(buffer)) else { throw SpoolError(path: path, operation: "write", code: errno) }
        written += buffer.count
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes and hands over the file.
    package func finish() throws(SpoolError) -> SpoolFile {
        try flush()
        finished = true
        return SpoolFile(path: path, size: written)
    }
}

@available(*, unavailable)
extension SpoolWriter: Sendable {}

/// Reads a `SpoolFile` front to back through a buffer of 1 MiB.
package struct SpoolReader {
    package let file: SpoolFile
    private var buffer: [UInt8] = []
    private var position = 0
    private var offset = 0

    package init(_ file: SpoolFile) { self.file = file }

    /// Bytes consumed so far.
    package var consumed: Int { offset - buffer.count + position }

    /// The next byte; nil at the end.
    package mutating func byte() throws(SpoolError) -> UInt8? {
        if position == buffer.count {
            buffer = try file.read(at: offset, count: 1 << 20)
            offset += buffer.count
            position = 0
            if buffer.isEmpty { return nil }
        }
        defer { position += 1 }
        return buffer[position]
    }

    /// Exactly `count` bytes; nil when the file ends first.
    package mutating func bytes(_ count: Int) throws(SpoolError) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(count)
        while result.count < count {
            if position == buffer.count {
                buffer = try file.read(at: offset, count: max(1 << 20, count - result.count))
                offset += buffer.count
                position = 0
                if buffer.isEmpty { return nil }
            }
            let take = min(count - result.count, buffer.count - position)
            result += buffer[position..<position + take]
            position += take
        }
        return result
    }
}

/// A temporary file could not be written or read.
package struct SpoolError: TasterError {
    package let path: String
    package let operation: String
    package let code: Int32

    package var exitCode: TasterExitCode { .dependency }
    package var description: String {
        "could not \(operation) the temporary file \(path): \(String(cString: strerror(code))) "
            + "(TMPDIR must be writable and have room: see README, Evidence)"
    }
}
