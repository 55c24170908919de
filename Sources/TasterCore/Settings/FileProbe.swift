import FoundationEssentials

/// File-system questions settings validation asks.
enum FileProbe {
    static func isReadableFile(_ path: String) -> Bool {
        FileIO.isReadableFile(path)
    }
}
