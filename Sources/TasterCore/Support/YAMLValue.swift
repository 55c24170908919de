import Yams

/// YAML (and JSON, which is YAML) to plain Swift values, for kubeconfigs and checks files.
enum YAMLValue {
    static func load(_ text: String) throws -> Any? {
        try Yams.load(yaml: text)
    }
}
