/// Which names taster accepts: database and collection names a check may read (MongoDB's rules),
/// run ids and app names (they become parts of S3 keys), Kubernetes names. Checked before anything
/// is touched, in settings, the checks file and a baseline's report.
package enum NameRules {
    /// No `/ \ . " $`, space or NUL, under 64 bytes.
    package static func isValidDatabaseName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count < 64 && !name.contains(where: { "/\\. \"$\0".contains($0) })
    }

    /// Not empty, no `$` or NUL, not a `system.` collection, under 256 bytes.
    package static func isValidCollectionName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count < 256 && !name.contains("$") && !name.contains("\0") && !name.hasPrefix("system.")
    }

    /// A run id or app name: 1–128 letters, digits, `.`, `_`, `-`; not `.` or `..`.
    package static func isSafeIdentifier(_ text: String) -> Bool {
        (1...128).contains(text.count)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
            && text != "." && text != ".."
    }

    /// A Kubernetes DNS label (a namespace): 1–63 lowercase letters, digits and `-`, not at the ends.
    package static func isDNSLabel(_ name: String) -> Bool {
        (1...63).contains(name.count)
            && name.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") }
            && name.first != "-" && name.last != "-"
    }
}
