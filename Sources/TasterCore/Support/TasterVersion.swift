/// taster's version, reported by `--version`, in reports and in MongoDB's `appname`.
public enum TasterVersion {
    public static let current = "0.1.0"
}
