import TasterSupport

/// The checks file's `structure:` section: the severity of each kind of structure difference,
/// and the collections and indexes not compared at all.
///
/// ```yaml
/// structure:
///   severity:
///     collectionCreated: pass
///     validationChanged: fail
///   ignore:
///     collections: [migrations, "tmp_*"]
///     indexes: ["orders.tmp_*"]
/// ```
extension ChecksFile {
    /// The structure rules of the file at `path` (the defaults when it has no `structure:`).
    package static func loadStructure(path: String) throws(ChecksFileError) -> StructurePolicy {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ChecksFileError(file: path, message: "cannot be read as UTF-8 text (\(error)); check TASTER_CHECKS")
        }
        return try parseStructure(text, file: path)
    }

    /// Validates the `structure:` section of checks-file `text`.
    package static func parseStructure(_ text: String, file: String) throws(ChecksFileError) -> StructurePolicy {
        let top = try topLevel(text, file: file)
        guard let section = top["structure"] else { return StructurePolicy() }
        func error(_ message: String, _ node: YAMLNode?) -> ChecksFileError {
            ChecksFileError(file: file, line: node?.line, message: "`structure:` " + message)
        }
        guard case .mapping(let mapping) = section else {
            throw error("must be a mapping with `severity:` and `ignore:`", section)
        }
        for key in mapping.keys where key.string != "severity" && key.string != "ignore" {
            throw error("has an unknown key `\(key.string ?? "?")`; it takes `severity:` and `ignore:`", key)
        }
        var policy = StructurePolicy()
        let aspects = StructureAspect.allCases.map(\.rawValue).joined(separator: ", ")
        let severities = StructureSeverity.allCases.map(\.rawValue).joined(separator: ", ")
        if let node = mapping["severity"] {
            guard case .mapping(let entries) = node else {
                throw error("`severity:` must map aspects to fail, warn or pass, e.g. `collectionCreated: pass`", node)
            }
            for (key, value) in entries {
                guard let name = key.string, let aspect = StructureAspect(rawValue: name) else {
                    throw error("`severity:` names an unknown aspect `\(key.string ?? "?")`; use one of \(aspects)", key)
                }
                guard case .scalar(let scalar) = value, let severity = StructureSeverity(rawValue: scalar.value.trimmingSpaces()) else {
                    throw error("`severity: \(name):` must be one of \(severities)", value)
                }
                policy.severity[aspect] = severity
            }
        }
        if let node = mapping["ignore"] {
            guard case .mapping(let entries) = node else {
                throw error("`ignore:` must be a mapping with `collections:` and `indexes:` lists of name patterns", node)
            }
            for (key, value) in entries {
                guard let name = key.string, name == "collections" || name == "indexes" else {
                    throw error("`ignore:` has an unknown key `\(key.string ?? "?")`; it takes `collections:` and `indexes:`", key)
                }
                let patterns = try Self.patterns(value, name: name, error: error)
                if name == "collections" {
                    policy.ignoreCollections = patterns
                } else {
                    for pattern in patterns where !pattern.contains(".") {
                        throw error(
                            "`ignore: indexes:` pattern \"\(pattern)\" names no collection; write collection.index, e.g. \"orders.tmp_*\" or \"*.\(pattern)\"",
                            value)
                    }
                    policy.ignoreIndexes = patterns
                }
            }
        }
        return policy
    }

    private static func patterns(
        _ node: YAMLNode, name: String, error: (String, YAMLNode?) -> ChecksFileError
    ) throws(ChecksFileError) -> [String] {
        guard case .sequence(let items, _) = node else {
            throw error("`ignore: \(name):` must be a list of name patterns (`*` matches any characters)", node)
        }
        var patterns: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item, case let pattern = scalar.value.trimmingSpaces(), !pattern.isEmpty else {
                throw error("`ignore: \(name):` must hold name patterns, not lists or mappings", item)
            }
            patterns.append(pattern)
        }
        return patterns
    }
}
