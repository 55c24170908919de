/// One metric family in the Prometheus text exposition format (version 0.0.4): its `# HELP` and
/// `# TYPE` lines and its samples. Label values and help text are escaped as the format asks
/// (`\\`, `\"`, `\n`), so an app or check name with a quote cannot break the text.
///
/// - SeeAlso: https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
package struct MetricFamily: Sendable, Equatable {
    package enum Kind: String, Sendable {
        case gauge
        case counter
        case untyped
    }

    package struct Sample: Sendable, Equatable {
        /// Label names and values, in the order they are written.
        package var labels: [(name: String, value: String)]
        package var value: Double

        package init(_ labels: [(String, String)], _ value: Double) {
            self.labels = labels.map { (name: $0.0, value: $0.1) }
            self.value = value
        }

        /// A sample without labels.
        package init(_ value: Double) {
            self.init([], value)
        }

        package static func == (lhs: Sample, rhs: Sample) -> Bool {
            lhs.value.bitPattern == rhs.value.bitPattern && lhs.labels.elementsEqual(rhs.labels) { $0 == $1 }
        }
    }

    package var name: String
    package var kind: Kind
    package var help: String
    package var samples: [Sample]

    package init(_ name: String, _ kind: Kind, help: String, samples: [Sample]) {
        self.name = name
        self.kind = kind
        self.help = help
        self.samples = samples
    }

    /// The family's lines, each ending in a newline; nothing when it has no samples (a family
    /// with a `# TYPE` line and no sample says nothing and only confuses a reader).
    package var exposition: String {
        guard !samples.isEmpty else { return "" }
        var text = "# HELP \(name) \(Self.escapeHelp(help))\n# TYPE \(name) \(kind.rawValue)\n"
        for sample in samples {
            text += name
            if !sample.labels.isEmpty {
                text += "{" + sample.labels.map { "\($0.name)=\"\(Self.escapeLabelValue($0.value))\"" }.joined(separator: ",") + "}"
            }
            text += " " + Self.format(sample.value) + "\n"
        }
        return text
    }

    /// Several families as one exposition body.
    package static func exposition(_ families: [MetricFamily]) -> String {
        families.map(\.exposition).joined()
    }

    /// A label value: backslash, double quote and line feed escaped.
    package static func escapeLabelValue(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Help text: backslash and line feed escaped (a quote is literal there).
    package static func escapeHelp(_ help: String) -> String {
        var escaped = ""
        for character in help.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\n": escaped += "\\n"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// A sample value as the format spells it: integers without a fraction, `+Inf`, `-Inf`, `NaN`.
    package static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
