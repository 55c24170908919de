import FoundationEssentials

/// The variables settings are read from: the process environment (a Job's Secret and ConfigMap),
/// with command-line flags layered on top. An empty value counts as unset, as Kubernetes
/// manifests often carry `value: ""`.
package struct Environment: Sendable {
    private var values: [String: String]
    /// Variables set from a flag, and the flag's spelling (for `--show-settings`).
    private var flags: [String: String] = [:]

    package init(_ values: [String: String]) {
        self.values = values
    }

    /// The current process's environment.
    package static var process: Environment { Environment(ProcessInfo.processInfo.environment) }

    /// The non-empty value of `name`, if set.
    package subscript(name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    /// The first of `names` (in precedence order) that has a non-empty value.
    package func first(of names: [String]) -> (name: String, value: String)? {
        for name in names {
            if let value = self[name] { return (name, value) }
        }
        return nil
    }

    /// Names among `names` that are set but lose to the first one that is set.
    package func shadowed(in names: [String]) -> [String] {
        Array(names.filter { self[$0] != nil }.dropFirst())
    }

    /// Sets `name` from the flag `flag` (a flag wins over the variable it stands for).
    package mutating func override(_ name: String, with value: String?, flag: String) {
        guard let value else { return }
        values[name] = value
        flags[name] = flag
    }

    /// Where a value came from: the flag that set it, or the variable's name.
    package func source(of name: String) -> String {
        flags[name] ?? name
    }
}
