/// Reads typed values from an `Environment`, collecting every problem instead of stopping at the
/// first, so one run tells a user everything that is wrong with their Secret and ConfigMap.
package struct SettingsReader {
    package let environment: Environment
    package private(set) var problems: [ConfigurationProblem] = []

    package init(_ environment: Environment) { self.environment = environment }

    package mutating func fail(_ variable: String, _ problem: String, example: String) {
        problems.append(ConfigurationProblem(variable: environment.source(of: variable), problem: problem, example: example))
    }

    package func string(_ name: String) -> String? { environment[name]?.trimmingSpaces().nilIfEmpty }

    /// A secret is never trimmed: whitespace may be part of it.
    package func secret(_ names: [String]) -> (name: String, value: String)? { environment.first(of: names) }

    package func string(_ names: [String]) -> (name: String, value: String)? {
        guard let found = environment.first(of: names) else { return nil }
        guard let trimmed = found.value.trimmingSpaces().nilIfEmpty else { return nil }
        return (found.name, trimmed)
    }

    package mutating func duration(_ name: String, default fallback: Duration, example: String) -> Duration {
        guard let text = string(name) else { return fallback }
        guard let value = DurationParser.parse(text), value > .zero else {
            fail(name, "\"\(text)\" is not a positive duration (units ms, s, m, h)", example: "\(name)=\(example)")
            return fallback
        }
        return value
    }

    /// A whole number of at least `minimum` (and at most `maximum`).
    package mutating func integer(_ name: String, default fallback: Int64, minimum: Int64, maximum: Int64? = nil, example: String) -> Int64 {
        guard let text = string(name) else { return fallback }
        guard let value = Int64(String(text.filter { $0 != "_" })), value >= minimum, value <= (maximum ?? .max) else {
            let range = maximum.map { "from \(minimum) to \($0)" } ?? "of at least \(minimum)"
            fail(name, "\"\(text)\" is not a whole number \(range)", example: "\(name)=\(example)")
            return fallback
        }
        return value
    }

    package mutating func bool(_ name: String, default fallback: Bool) -> Bool {
        guard let text = string(name) else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes", "on": return true
        case "false", "0", "no", "off": return false
        default:
            fail(name, "\"\(text)\" is not a boolean", example: "\(name)=true")
            return fallback
        }
    }

    package mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) -> T where T.RawValue == String {
        guard let text = string(name) else { return fallback }
        guard let value = T(rawValue: text.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: " or ")
            fail(name, "\"\(text)\" is not one of \(allowed)", example: "\(name)=\(fallback.rawValue)")
            return fallback
        }
        return value
    }

    package mutating func readableFile(_ name: String, example: String) -> String? {
        guard let path = string(name) else { return nil }
        if !FileProbe.isReadableFile(path) {
            fail(name, "\"\(path)\" is not a readable file", example: "\(name)=\(example)")
            return nil
        }
        return path
    }
}

extension String {
    package var nilIfEmpty: String? { isEmpty ? nil : self }
}
