import FoundationEssentials

/// Cuts a byte stream into lines (`\n`, an optional `\r` before it removed), holding back an
/// unfinished line until the rest arrives. A line longer than `maxLineBytes` is refused rather
/// than buffered without bound.
package struct LineSplitter {
    let maxLineBytes: Int
    private var pending = Data()

    package init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// The complete, non-empty lines `bytes` finishes; nil when a line grew past the limit.
    package mutating func push(_ bytes: UnsafeRawBufferPointer) -> [Data]? {
        var lines: [Data] = []
        var start = 0
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            if let line = takePending() { lines.append(line) }
            start = index + 1
        }
        pending.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[start...]))
        return pending.count > maxLineBytes ? nil : lines
    }

    /// What is left after the stream ended without a final newline.
    package mutating func finish() -> Data? {
        takePending()
    }

    private mutating func takePending() -> Data? {
        var line = pending
        pending = Data()
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        return line.isEmpty ? nil : line
    }
}
