/// YAML (and JSON, which is YAML) to plain Swift values, for kubeconfigs.
package enum YAMLValue {
    package static func load(_ text: String) throws(YAMLError) -> Any? {
        try YAMLParser.compose(text).map(YAMLCoreSchema.plainValue)
    }
}
