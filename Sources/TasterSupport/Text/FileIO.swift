import FoundationEssentials

#if canImport(Glibc)
import Glibc
#endif

/// Reading and writing files with POSIX calls: bounded reads (never more than asked into
/// memory) and in-place writes (`/dev/termination-log` must not be replaced by a new file).
package enum FileIO {
    package enum Failure: Error, Sendable, Equatable {
        case missing
        case unreadable(String)
        case tooLarge
    }

    /// At most `maxBytes` bytes of `path`; `.tooLarge` when it holds more.
    package static func read(_ path: String, maxBytes: Int) throws(Failure) -> Data {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadable(String(cString: strerror(errno)))
            }
            if count == 0 { return data }
            data.append(contentsOf: buffer[0..<count])
            if data.count > maxBytes { throw .tooLarge }
        }
    }

    /// At most `maxBytes` bytes of `path`, copied into a spool file 64 KiB at a time (a document
    /// index given on the command line): never held whole in memory; `.tooLarge` when it holds more.
    package static func spool(_ path: String, maxBytes: Int) throws(Failure) -> SpoolFile {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        do {
            let writer = try SpoolWriter(name: "copy")
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw Failure.unreadable(String(cString: strerror(errno)))
                }
                if count == 0 { return try writer.finish() }
                try writer.write(buffer[0..<count])
                if writer.count > maxBytes { throw Failure.tooLarge }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .unreadable("\(error)")
        }
    }

    /// Replaces the contents of the existing file `path` (not the file itself). Returns false
    /// when the file does not exist or cannot be written.
    @discardableResult
    package static func overwrite(_ path: String, with data: Data) -> Bool {
        let descriptor = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        return writeAll(descriptor, data)
    }

    /// Writes all of `data` to `descriptor`, retrying short writes and EINTR.
    @discardableResult
    package static func writeAll(_ descriptor: Int32, _ data: Data) -> Bool {
        var rest = data[...]
        while !rest.isEmpty {
            let written = rest.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            rest = rest.dropFirst(written)
        }
        return true
    }

    /// Whether `path` is a regular file this process can read.
    package static func isReadableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG && access(path, R_OK) == 0
    }

    /// `path` without its last component: `/a/b/c` → `/a/b`, `c` → ``.
    package static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
