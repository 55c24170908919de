import FoundationEssentials
import TasterSupport

/// How a check's post value must relate to its pre value. Checks files write it as
/// `rule: equal | no-decrease | no-increase | tolerance` with `tolerance: 5` (absolute) or
/// `tolerance: 2%` (relative to pre).
package enum ComparisonRule: Sendable, Equatable, Hashable {
    case equal
    case noDecrease
    case noIncrease
    case tolerance(Tolerance)

    package enum Tolerance: Sendable, Equatable, Hashable, CustomStringConvertible {
        case absolute(Decimal)
        case percent(Decimal)

        package var description: String {
            switch self {
            case .absolute(let amount): "\(amount)"
            case .percent(let amount): "\(amount)%"
            }
        }
    }

    /// Parses the checks-file spelling; the error text says what is allowed.
    package init(rule: String, tolerance: String?) throws(RuleParseError) {
        switch rule {
        case "equal": self = .equal
        case "no-decrease": self = .noDecrease
        case "no-increase": self = .noIncrease
        case "tolerance":
            guard let text = tolerance?.trimmingSpaces(), !text.isEmpty else {
                throw RuleParseError(message: "rule tolerance needs a `tolerance:` amount, e.g. 5 or 2%")
            }
            let isPercent = text.hasSuffix("%")
            let number = isPercent ? String(text.dropLast()).trimmingSpaces() : text
            guard let amount = Decimal(string: number, locale: Locale(identifier: "en_US_POSIX")), amount >= 0,
                number.allSatisfy({ $0.isNumber || $0 == "." })
            else {
                throw RuleParseError(message: "tolerance \"\(text)\" is not a non-negative number or percentage, e.g. 5 or 2%")
            }
            self = .tolerance(isPercent ? .percent(amount) : .absolute(amount))
        default:
            throw RuleParseError(message: "unknown rule \"\(rule)\": use equal, no-decrease, no-increase or tolerance")
        }
        if tolerance != nil, case .tolerance = self {
        } else if tolerance != nil {
            throw RuleParseError(message: "`tolerance:` is only used with rule: tolerance")
        }
    }

    /// The checks-file and report spelling: `equal`, `no-decrease`, `tolerance 2%`.
    package var name: String {
        switch self {
        case .equal: "equal"
        case .noDecrease: "no-decrease"
        case .noIncrease: "no-increase"
        case .tolerance(let tolerance): "tolerance \(tolerance)"
        }
    }
}

package struct RuleParseError: Error, Sendable {
    package let message: String
}

extension ComparisonRule: Codable {
    package init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        do {
            try self.init(rule: parts[0], tolerance: parts.count > 1 ? parts[1] : nil)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: error.message))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(name)
    }
}

/// Whether a failed rule fails the sync (`fail`, the default) or is only reported (`warn`).
package enum Severity: String, Sendable, Codable, CaseIterable {
    case fail
    case warn
}
