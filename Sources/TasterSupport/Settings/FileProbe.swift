import FoundationEssentials

/// File-system questions settings validation asks.
package enum FileProbe {
    package static func isReadableFile(_ path: String) -> Bool {
        FileIO.isReadableFile(path)
    }
}
