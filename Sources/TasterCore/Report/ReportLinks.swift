/// How the verdict page turns report keys into links.
///
/// The page is stored next to its run's reports (`<prefix>/runs/<run-id>/verdict.html` beside
/// `pre.json`, `post.json` and `verdict.json`), so by default a key becomes a path relative to
/// the page's own key: `pre.json`, `../<other-run>/verdict.html`. Such links work wherever the
/// bucket's keys are served as paths — an S3 website endpoint or a proxy in front of the bucket,
/// a static site synced from it, or a run's folder downloaded as it is — and lead nowhere when
/// the page is opened alone (a presigned URL signs one object only). With an absolute base, a
/// key becomes that base followed by the key.
package struct ReportLinks: Sendable, Equatable {
    package enum Base: Sendable, Equatable {
        /// Paths relative to the page's own key.
        case relative
        /// An `http://` or `https://` URL under which the bucket's keys are served as paths.
        case absolute(String)
    }

    package let base: Base
    /// The page's own key: where relative links start from.
    package let pageKey: String

    package init(base: Base = .relative, pageKey: String) {
        self.base = base
        self.pageKey = pageKey
    }

    /// The link to `key`, percent-encoded, or nil when no link can reach it: a key with an empty
    /// last segment or a `.`/`..` segment (a browser would resolve it elsewhere), a page key with
    /// such a segment, or a base that is not http(s).
    package func href(for key: String) -> String? {
        let target = key.split(separator: "/", omittingEmptySubsequences: false)
        guard Self.isPath(target), !(target.last ?? "").isEmpty else { return nil }
        switch base {
        case .absolute(let url):
            let lowered = url.lowercased()
            guard lowered.hasPrefix("https://") || lowered.hasPrefix("http://") else { return nil }
            return (url.hasSuffix("/") ? url : url + "/") + target.map(Self.encode).joined(separator: "/")
        case .relative:
            let page = pageKey.split(separator: "/", omittingEmptySubsequences: false)
            guard Self.isPath(page) else { return nil }
            let folder = page.dropLast()
            var common = 0
            while common < folder.count, common < target.count - 1,
                folder[folder.startIndex + common] == target[common]
            {
                common += 1
            }
            let path = (Array(repeating: "..", count: folder.count - common) + target[common...].map(Self.encode))
                .joined(separator: "/")
            // A key with an empty segment right here would otherwise read as an absolute path.
            return path.hasPrefix("/") ? "./" + path : path
        }
    }

    private static func isPath(_ segments: [Substring]) -> Bool {
        !segments.contains { $0 == "." || $0 == ".." }
    }

    /// RFC 3986 path-segment encoding: every byte but the unreserved characters as `%XX`, so a
    /// key's `:`, `?`, `#`, `%` and spaces stay part of the path.
    static func encode(_ segment: Substring) -> String {
        var out = ""
        for byte in segment.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
