/// Compares the baseline's inventory with the post report's by the structure rules of the post
/// report (`DatabaseInventory.rules`, or the ones `taster compare --checks` applies): every
/// dropped, created, emptied or changed collection, view and index is a row, judged by its
/// aspect's severity. A side without an inventory, or a collection the server would not
/// describe, gives `unknown` rows: never a pass, never a failure.
package enum StructureComparator {
    package static func compare(
        pre: DatabaseInventory?, post: DatabaseInventory?, policy: StructurePolicy? = nil
    ) -> [StructureComparison] {
        guard let post else {
            guard let pre else { return [] }
            return [unknown("database \(pre.database)", "structure unknown (the report compared has no inventory)")]
        }
        guard let pre else {
            return [unknown("database \(post.database)", "structure unknown (the baseline has no inventory: it was taken by an older taster)")]
        }
        let policy = policy ?? post.policy
        guard let before = pre.collections else {
            return [unknown("database \(pre.database)", "structure unknown (the baseline could not list its collections)")]
        }
        guard let after = post.collections else {
            return [unknown("database \(post.database)", "structure unknown (the collections could not be listed after the sync)")]
        }
        var rows: [StructureComparison] = []
        let afterByName = Dictionary(after.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let beforeNames = Set(before.map(\.name))
        for collection in before where !policy.ignores(collection: collection.name) {
            guard let now = afterByName[collection.name] else {
                rows.append(judge(.collectionDropped, "\(label(collection.type)) \(collection.name)", "dropped\(details(collection))", policy))
                continue
            }
            rows += compare(collection, now, policy: policy)
        }
        for collection in after where !beforeNames.contains(collection.name) && !policy.ignores(collection: collection.name) {
            rows.append(judge(.collectionCreated, "\(label(collection.type)) \(collection.name)", "created\(details(collection))", policy))
        }
        return rows
    }

    /// One collection present on both sides.
    static func compare(_ before: CollectionInventory, _ after: CollectionInventory, policy: StructurePolicy) -> [StructureComparison] {
        let subject = "\(label(after.type)) \(after.name)"
        guard before.type == after.type else {
            return [
                judge(
                    .collectionTypeChanged, subject, "was a \(label(before.type)), is now a \(label(after.type))", policy,
                    before: before.type.rawValue, after: after.type.rawValue)
            ]
        }
        var rows: [StructureComparison] = []
        if before.type != .view {
            switch (before.estimatedCount, after.estimatedCount) {
            case let (count?, 0?) where count > 0:
                rows.append(judge(.collectionEmptied, subject, "emptied (~\(count) → 0 documents, estimated)", policy))
            case (nil, _), (_, nil):
                rows.append(unknown(subject, "document count unknown (\(refusal(before, after, what: "counted")))"))
            default:
                break
            }
        }
        let options = Set(before.options.keys).union(after.options.keys).sorted()
        for option in options where before.options[option] != after.options[option] {
            let change = verb(option, before.options[option], after.options[option])
            rows.append(
                judge(
                    StructureAspect.forOption(option), subject, change + shortChange(before.options[option], after.options[option]),
                    policy, before: before.options[option], after: after.options[option]))
        }
        guard let beforeIndexes = before.indexes, let afterIndexes = after.indexes else {
            rows.append(unknown(subject, "indexes unknown (\(refusal(before, after, what: "listed")))"))
            return rows
        }
        let afterIndexByName = Dictionary(afterIndexes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let beforeIndexNames = Set(beforeIndexes.map(\.name))
        for index in beforeIndexes where !policy.ignores(index: index.name, of: after.name) {
            let indexSubject = "index \(after.name).\(index.name)"
            guard let now = afterIndexByName[index.name] else {
                rows.append(judge(.indexDropped, indexSubject, "dropped" + traits(index), policy, before: index.summary))
                continue
            }
            let fields = Set(index.spec.keys).union(now.spec.keys).subtracting(StructureAspect.indexBookkeepingFields)
            let changed = fields.filter { index.spec[$0] != now.spec[$0] }.sorted()
            guard !changed.isEmpty else { continue }
            let integrity = changed.filter(StructureAspect.indexIntegrityFields.contains)
            let aspect: StructureAspect = integrity.isEmpty ? .indexOptionsChanged : .indexChanged
            let change =
                changed.count == 1
                ? verb(changed[0], index.spec[changed[0]], now.spec[changed[0]]) + shortChange(index.spec[changed[0]], now.spec[changed[0]])
                : "changed: " + changed.joined(separator: ", ")
            rows.append(judge(aspect, indexSubject, change, policy, before: index.summary, after: now.summary))
        }
        for index in afterIndexes where !beforeIndexNames.contains(index.name) && !policy.ignores(index: index.name, of: after.name) {
            rows.append(judge(.indexAdded, "index \(after.name).\(index.name)", "added" + traits(index), policy, after: index.summary))
        }
        return rows
    }

    static func judge(
        _ aspect: StructureAspect, _ subject: String, _ change: String, _ policy: StructurePolicy,
        before: String? = nil, after: String? = nil
    ) -> StructureComparison {
        let severity = policy.severity(of: aspect)
        let result: StructureComparison.Result =
            switch severity {
            case .fail: .fail
            case .warn: .warn
            case .pass: .pass
            }
        return StructureComparison(
            subject: subject, change: change, aspect: aspect, before: before, after: after, severity: severity, result: result)
    }

    static func unknown(_ subject: String, _ change: String) -> StructureComparison {
        StructureComparison(subject: subject, change: change, aspect: nil, severity: nil, result: .unknown)
    }

    static func label(_ kind: CollectionInventory.Kind) -> String {
        switch kind {
        case .collection: "collection"
        case .view: "view"
        case .timeseries: "time-series collection"
        }
    }

    /// ` (~120 documents)` for a collection with a count.
    static func details(_ collection: CollectionInventory) -> String {
        guard collection.type != .view, let count = collection.estimatedCount else { return "" }
        return " (~\(count) document\(count == 1 ? "" : "s"))"
    }

    /// ` (unique, TTL 3600 s, partial)`: what made the index matter.
    static func traits(_ index: IndexSpec) -> String {
        var traits: [String] = []
        if index.spec["unique"] == "true" { traits.append("unique") }
        if let ttl = index.spec["expireAfterSeconds"] { traits.append("TTL \(ttl) s") }
        if index.spec["partialFilterExpression"] != nil { traits.append("partial") }
        if index.spec["sparse"] == "true" { traits.append("sparse") }
        if index.spec["hidden"] == "true" { traits.append("hidden") }
        return traits.isEmpty ? "" : " (" + traits.joined(separator: ", ") + ")"
    }

    /// `unique set`, `unique removed`, `unique changed`.
    static func verb(_ field: String, _ before: String?, _ after: String?) -> String {
        switch (before, after) {
        case (nil, _): "\(field) set"
        case (_, nil): "\(field) removed"
        default: "\(field) changed"
        }
    }

    /// ` (3600 → 60)` when both values are short enough to read in a row.
    static func shortChange(_ before: String?, _ after: String?) -> String {
        let shown = [before ?? "none", after ?? "none"]
        guard shown.allSatisfy({ $0.count <= 40 }) else { return "" }
        return " (\(shown[0]) → \(shown[1]))"
    }

    /// Which side would not answer, for an unknown row.
    static func refusal(_ before: CollectionInventory, _ after: CollectionInventory, what: String) -> String {
        switch (before.problems == nil, after.problems == nil) {
        case (false, true): "the server refused in the baseline: " + (before.problems ?? []).joined(separator: "; ")
        case (true, false): "the server refused after the sync: " + (after.problems ?? []).joined(separator: "; ")
        case (false, false): "the server refused: " + ((after.problems ?? []) + (before.problems ?? [])).joined(separator: "; ")
        case (true, true): "not \(what) on one side"
        }
    }
}
