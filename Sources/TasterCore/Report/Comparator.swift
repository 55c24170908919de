import FoundationEssentials

/// Compares a post snapshot with its baseline, check by check, by name.
///
/// The rule and severity come from the post side (the configuration the sync is being checked
/// with). A check present on one side only, or a collection that vanished or appeared, fails.
/// Numbers are compared exactly (`Decimal`: int64 and Decimal128 without loss); fingerprints and
/// other non-numeric values can only be `equal`.
public enum Comparator {
    public static func compare(pre: Snapshot, post: Snapshot) -> [CheckComparison] {
        let preByName = Dictionary(pre.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let postByName = Dictionary(post.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var names = pre.checks.map(\.name)
        names += post.checks.map(\.name).filter { preByName[$0] == nil }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }.map { name in
            compare(pre: preByName[name], post: postByName[name])
        }
    }

    /// One check; at least one side is present.
    static func compare(pre: CheckResult?, post: CheckResult?) -> CheckComparison {
        let reference = (post ?? pre)!
        func outcome(_ passed: Bool, _ reason: String?, delta: String? = nil) -> CheckComparison {
            let result: CheckComparison.Result = passed ? .pass : (reference.severity == .warn ? .warn : .fail)
            return CheckComparison(name: reference.name, kind: reference.kind, collection: reference.collection,
                                   pre: pre?.value, post: post?.value, delta: delta, rule: reference.rule,
                                   severity: reference.severity, result: result, reason: reason)
        }
        guard let pre else { return outcome(false, "not in the baseline: a new or renamed check (take a new baseline with it)") }
        guard let post else { return outcome(false, "only in the baseline: the check was removed or renamed") }
        if pre.missing || post.missing {
            switch (pre.missing, post.missing) {
            case (true, true): return outcome(true, "collection \(post.collection) is missing on both sides")
            case (false, true): return outcome(false, "collection \(post.collection) vanished")
            default: return outcome(false, "collection \(post.collection) did not exist in the baseline")
            }
        }
        switch (pre.value, post.value) {
        case (nil, nil):
            return outcome(true, nil)
        case (nil, _):
            return outcome(false, "no value in the baseline")
        case (_, nil):
            return outcome(false, "no value any more")
        case let (before?, after?):
            if let first = before.decimal, let second = after.decimal {
                let delta = second - first
                let verdict = evaluate(post.rule, pre: first, post: second, delta: delta)
                return outcome(verdict.passed, verdict.reason, delta: format(delta: delta))
            }
            guard post.rule == .equal else {
                return outcome(false, "rule \(post.rule.name) needs numbers; \(post.kind.rawValue) values can only be equal")
            }
            return before == after ? outcome(true, nil) : outcome(false, "changed")
        }
    }

    static func evaluate(_ rule: ComparisonRule, pre: Decimal, post: Decimal, delta: Decimal) -> (passed: Bool, reason: String?) {
        let magnitude = delta < 0 ? -delta : delta
        switch rule {
        case .equal:
            return delta == 0 ? (true, nil) : (false, "\(describe(delta)), rule equal")
        case .noDecrease:
            return delta >= 0 ? (true, nil) : (false, "\(describe(delta)), rule no-decrease")
        case .noIncrease:
            return delta <= 0 ? (true, nil) : (false, "\(describe(delta)), rule no-increase")
        case .tolerance(.absolute(let amount)):
            return magnitude <= amount ? (true, nil) : (false, "\(describe(delta)), more than the tolerance of \(amount)")
        case .tolerance(.percent(let percent)):
            let base = pre < 0 ? -pre : pre
            let allowed = base * percent / 100
            if magnitude <= allowed { return (true, nil) }
            return (false, "\(describe(delta)), more than \(percent)% of \(pre)")
        }
    }

    static func describe(_ delta: Decimal) -> String {
        if delta < 0 { return "\(-delta) fewer" }
        return "\(delta) more"
    }

    /// `+3`, `-3`, `0`.
    static func format(delta: Decimal) -> String {
        delta > 0 ? "+\(delta)" : "\(delta)"
    }
}

extension CheckValue {
    /// The exact numeric value, or nil for digests, text and Decimal128 NaN/Infinity.
    public var decimal: Decimal? {
        switch self {
        case .int64(let value):
            return Decimal(value)
        case .double(let value):
            guard value.isFinite else { return nil }
            return Decimal(string: String(value), locale: Locale(identifier: "en_US_POSIX"))
        case .decimal(let text):
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }) else { return nil }
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        case .digest, .text:
            return nil
        }
    }
}
