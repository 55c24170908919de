/// The structure rules a sync is judged with: each aspect's severity (the defaults of
/// `StructureAspect`, overridden by the checks file's `structure: severity:`) and the collections
/// and indexes that are not compared at all (`structure: ignore:`), by name pattern.
package struct StructurePolicy: Sendable, Equatable, Codable {
    /// Severities that differ from the defaults, by aspect.
    package var severity: [StructureAspect: StructureSeverity]
    /// Collection name patterns (`*` matches any run of characters): `migrations`, `tmp_*`.
    package var ignoreCollections: [String]
    /// Index patterns as `collection.index`: `orders.tmp_*`, `*.scratch`.
    package var ignoreIndexes: [String]

    package init(
        severity: [StructureAspect: StructureSeverity] = [:], ignoreCollections: [String] = [], ignoreIndexes: [String] = []
    ) {
        self.severity = severity
        self.ignoreCollections = ignoreCollections
        self.ignoreIndexes = ignoreIndexes
    }

    package var isDefault: Bool { severity.isEmpty && ignoreCollections.isEmpty && ignoreIndexes.isEmpty }

    package func severity(of aspect: StructureAspect) -> StructureSeverity {
        severity[aspect] ?? aspect.defaultSeverity
    }

    package func ignores(collection: String) -> Bool {
        ignoreCollections.contains { Self.matches(pattern: $0, collection) }
    }

    package func ignores(index: String, of collection: String) -> Bool {
        ignoreIndexes.contains { Self.matches(pattern: $0, "\(collection).\(index)") }
    }

    /// Whether `text` matches `pattern`, where `*` stands for any run of characters (dots
    /// included) and everything else for itself.
    package static func matches(pattern: String, _ text: String) -> Bool {
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false).map(Substring.init)
        guard parts.count > 1 else { return pattern == text }
        var rest = Substring(text)
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() where !part.isEmpty {
            guard let range = rest.firstRange(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }

    enum CodingKeys: String, CodingKey { case severity, ignore }
    struct Ignore: Codable {
        var collections: [String]?
        var indexes: [String]?
    }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let raw = try container.decodeIfPresent([String: StructureSeverity].self, forKey: .severity) ?? [:]
        var severity: [StructureAspect: StructureSeverity] = [:]
        for (key, value) in raw {
            guard let aspect = StructureAspect(rawValue: key) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .severity, in: container, debugDescription: "unknown structure aspect \"\(key)\"")
            }
            severity[aspect] = value
        }
        let ignore = try container.decodeIfPresent(Ignore.self, forKey: .ignore)
        self.init(severity: severity, ignoreCollections: ignore?.collections ?? [], ignoreIndexes: ignore?.indexes ?? [])
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if !severity.isEmpty {
            try container.encode(Dictionary(uniqueKeysWithValues: severity.map { ($0.key.rawValue, $0.value) }), forKey: .severity)
        }
        if !ignoreCollections.isEmpty || !ignoreIndexes.isEmpty {
            try container.encode(
                Ignore(
                    collections: ignoreCollections.isEmpty ? nil : ignoreCollections,
                    indexes: ignoreIndexes.isEmpty ? nil : ignoreIndexes), forKey: .ignore)
        }
    }
}
