import FoundationEssentials

/// Compares a post snapshot with its baseline, check by check, by name.
///
/// The rule, severity and `allowMissing` come from the post side (the configuration the sync is
/// being checked with). A check present on one side only, a check that measures something else
/// than in the baseline, or a collection that vanished or appeared, fails; a collection missing on
/// both sides passes only when the check allows it. Numbers are compared exactly (`Decimal`: int64
/// and Decimal128 without loss); fingerprints and other non-numeric values can only be `equal`.
/// A check whose measured field no document holds passes or fails by its rule, with a warning:
/// it guards nothing.
package enum Comparator {
    package static func compare(pre: Snapshot, post: Snapshot) -> [CheckComparison] {
        let preByName = Dictionary(pre.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let postByName = Dictionary(post.checks.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var names = pre.checks.map(\.name)
        names += post.checks.map(\.name).filter { preByName[$0] == nil }
        var seen = Set<String>()
        let language = post.language
        return names.filter { seen.insert($0).inserted }.map { name in
            compare(pre: preByName[name], post: postByName[name], language: language)
        }
    }

    /// One check; at least one side is present. `language` names what a check reads: a table
    /// (SQL) or a collection (MongoDB).
    static func compare(pre: CheckResult?, post: CheckResult?, language: CheckLanguage = .mongo) -> CheckComparison {
        let noun = language == .sql ? "table" : "collection"
        let reference = (post ?? pre)!
        func outcome(_ passed: Bool, _ reason: String?, delta: String? = nil) -> CheckComparison {
            let result: CheckComparison.Result = passed ? .pass : (reference.severity == .warn ? .warn : .fail)
            return CheckComparison(
                name: reference.name, kind: reference.kind, collection: reference.collection,
                pre: pre?.value, post: post?.value, delta: delta, rule: reference.rule,
                severity: reference.severity, result: result, reason: reason,
                warning: warning(pre: pre, post: post))
        }
        // TASTER_COLLECTIONS=*: a collection created since the baseline is counted from the next
        // baseline on (the structure rules judge its creation); one gone is a vanished collection.
        if pre == nil, post?.discovered == true {
            return outcome(true, "\(noun) \(reference.collection) is new since the baseline (TASTER_COLLECTIONS=*): counted from the next baseline on")
        }
        if post == nil, pre?.discovered == true {
            return outcome(false, "\(noun) \(reference.collection) vanished (it was counted by TASTER_COLLECTIONS=*)")
        }
        guard let pre else { return outcome(false, "not in the baseline: a new or renamed check (take a new baseline with it)") }
        guard let post else { return outcome(false, "only in the baseline: the check was removed or renamed") }
        if let change = measurementChange(pre: pre, post: post) {
            return outcome(
                false,
                "the check now measures \(change): the values do not compare "
                    + "(the checks changed between pre-taste and post-taste; take a new baseline with them)")
        }
        if pre.missing || post.missing {
            switch (pre.missing, post.missing) {
            case (true, true):
                guard post.allowMissing else {
                    return outcome(
                        false,
                        "\(noun) \(post.database).\(post.collection) does not exist on either side: the check guards "
                            + "nothing (fix `\(noun):`, or set `allowMissing: true` if it may legitimately not exist)")
                }
                return outcome(true, "\(noun) \(post.collection) is missing on both sides (allowMissing)")
            case (false, true): return outcome(false, "\(noun) \(post.collection) vanished")
            default: return outcome(false, "\(noun) \(post.collection) did not exist in the baseline")
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
                if before.exceedsDecimalPrecision || after.exceedsDecimalPrecision {
                    return outcome(false, "rule \(post.rule.name) needs numbers of at most 38 significant digits; a longer value can only be equal")
                }
                return outcome(false, "rule \(post.rule.name) needs numbers; \(post.kind.rawValue) values can only be equal")
            }
            return before == after ? outcome(true, nil) : outcome(false, "changed")
        }
    }

    /// What a check measures now, in words, when that is not what it measured in the baseline
    /// (another kind, collection or parameters); nil when it measures the same. The `asOf` cut's
    /// time is not compared: post-taste cuts at the baseline's own time.
    static func measurementChange(pre: CheckResult, post: CheckResult, reference: String = "in the baseline") -> String? {
        if pre.kind != post.kind || pre.database != post.database || pre.collection != post.collection {
            return "\(post.kind.rawValue) of \(post.database).\(post.collection) (\(pre.kind.rawValue) of \(pre.database).\(pre.collection) \(reference))"
        }
        func comparable(_ parameters: [String: String]) -> [String: String] {
            var copy = parameters
            if let asOf = copy["asOf"] { copy["asOf"] = String(asOf.prefix { $0 != " " }) }
            return copy
        }
        let before = comparable(pre.parameters), after = comparable(post.parameters)
        guard before != after else { return nil }
        let keys = Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
        return "another " + keys.joined(separator: ", ") + " than \(reference)"
    }

    /// The warning a comparison carries when either snapshot found no document holding a measured
    /// field.
    static func warning(pre: CheckResult?, post: CheckResult?) -> String? {
        switch (pre?.absentFieldsWarning, post?.absentFieldsWarning) {
        case (nil, nil): return nil
        case (_, let after?) where pre?.absentFields == post?.absentFields: return after + " (in the baseline and after the sync)"
        case (_, let after?): return after + " (after the sync)"
        case (let before?, nil): return before + " (in the baseline)"
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
    package var decimal: Decimal? {
        switch self {
        case .int64(let value):
            return Decimal(value)
        case .double(let value):
            guard value.isFinite else { return nil }
            return Decimal(string: String(value), locale: Locale(identifier: "en_US_POSIX"))
        case .decimal(let text):
            guard text.allSatisfy({ $0.isNumber || "+-.eE".contains($0) }), !exceedsDecimalPrecision else { return nil }
            return Decimal(string: text, locale: Locale(identifier: "en_US_POSIX"))
        case .digest, .text:
            return nil
        }
    }

    /// A decimal with more significant digits than `Decimal` holds (38): a PostgreSQL `numeric`
    /// can have thousands, and two values differing in the 39th digit would round to one number.
    /// Such a value is compared by its exact text, which only the rule `equal` can judge.
    package var exceedsDecimalPrecision: Bool {
        guard case .decimal(let text) = self else { return false }
        let mantissa = text.prefix { $0 != "e" && $0 != "E" }.filter(\.isNumber).drop { $0 == "0" }
        return mantissa.count > 38
    }
}
