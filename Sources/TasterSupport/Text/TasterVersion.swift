/// taster's version, reported by `--version`, in reports and in MongoDB's `appname`.
package enum TasterVersion {
    package static let current = "0.1.0"
}
