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

    /// Up to `count` bytes from `offset` (fewer at the end), read straight into the array.
    package func read(at offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        var failure: SpoolError?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            do throws(SpoolError) {
                initialized = try fill(UnsafeMutableRawBufferPointer(buffer), from: offset)
            } catch {
                failure = error
                initialized = 0
            }
        }
        if let failure { throw failure }
        return bytes
    }

    /// Up to `count` bytes from `offset` as `Data` (a part to upload): one allocation, no copy.
    package func readData(at offset: Int, count: Int) throws(SpoolError) -> Data {
        var data = Data(count: count)
        var failure: SpoolError?
        let filled = data.withUnsafeMutableBytes { buffer -> Int in
            do throws(SpoolError) {
                return try fill(buffer, from: offset)
            } catch {
                failure = error
                return 0
            }
        }
        if let failure { throw failure }
        if filled < count { data.removeSubrange(filled..<count) }
        return data
    }

    /// Reads into `buffer` from `offset` until it is full or the file ends; the bytes read.
    private func fill(_ buffer: UnsafeMutableRawBufferPointer, from offset: Int) throws(SpoolError) -> Int {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError(path: path, operation: "open", code: errno) }
        defer { close(descriptor) }
        var filled = 0
        while filled < buffer.count {
            let got = pread(descriptor, buffer.baseAddress! + filled, buffer.count - filled, off_t(offset + filled))
            if got < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, operation: "read", code: errno)
            }
            if got == 0 { break }
            filled += got
        }
        return filled
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

    /// Buffers `bytes`; a piece as large as the buffer (a downloaded part) goes to the file
    /// straight from its own storage, so the buffer never grows past 1 MiB.
    package func write(_ bytes: some Collection<UInt8>) throws(SpoolError) {
        if bytes.count >= Self.bufferSize {
            var failure: SpoolError?
            let direct: Void? = bytes.withContiguousStorageIfAvailable { storage in
                do throws(SpoolError) {
                    try flush()
                    try writeAll(UnsafeRawBufferPointer(storage))
                } catch {
                    failure = error
                }
            }
            if let failure { throw failure }
            if direct != nil { return }
        }
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.bufferSize { try flush() }
    }

    /// Writes `data` (a downloaded part) straight from its storage when it is large.
    package func write(_ data: Data) throws(SpoolError) {
        guard data.count >= Self.bufferSize else {
            buffer.append(contentsOf: data)
            if buffer.count >= Self.bufferSize { try flush() }
            return
        }
        try flush()
        var failure: SpoolError?
        data.withUnsafeBytes { bytes in
            do throws(SpoolError) {
                try writeAll(bytes)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws(SpoolError) {
        var done = 0
        while done < bytes.count {
            let wrote = Glibc.write(descriptor, bytes.baseAddress! + done, bytes.count - done)
            if wrote < 0 {
                if errno == EINTR { continue }
                throw SpoolError(path: path, operation: "write", code: errno)
            }
            done += wrote
        }
        written += bytes.count
    }

    package func write(_ text: String) throws(SpoolError) {
        try write(text.utf8)
    }

    private func flush() throws(SpoolError) {
        guard !buffer.isEmpty else { return }
        var failure: SpoolError?
        buffer.withUnsafeBytes { bytes in
            do throws(SpoolError) {
                try writeAll(bytes)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
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
