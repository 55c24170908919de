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
                let noun = after.type == .table ? "rows" : "documents"
                rows.append(judge(.collectionEmptied, subject, "emptied (~\(count) → 0 \(noun), estimated)", policy))
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
        rows += compareColumns(before, after, policy: policy)
        rows += compareConstraints(before, after, policy: policy)
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

    /// A PostgreSQL table's or view's columns, by name: dropped, added, their type, nullability
    /// and default. Nothing for MongoDB (no columns on either side).
    static func compareColumns(_ before: CollectionInventory, _ after: CollectionInventory, policy: StructurePolicy) -> [StructureComparison] {
        guard before.columns != nil || after.columns != nil else { return [] }
        let subject = "\(label(after.type)) \(after.name)"
        guard let old = before.columns, let new = after.columns else {
            return [unknown(subject, "columns unknown (\(refusal(before, after, what: "listed")))")]
        }
        var rows: [StructureComparison] = []
        let newByName = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldNames = Set(old.map(\.name))
        for column in old {
            let columnSubject = "column \(after.name).\(column.name)"
            guard let now = newByName[column.name] else {
                rows.append(judge(.columnDropped, columnSubject, "dropped (\(column.type))", policy, before: column.summary))
                continue
            }
            if column.type != now.type {
                rows.append(
                    judge(
                        .columnTypeChanged, columnSubject, "type changed" + shortChange(column.type, now.type), policy,
                        before: column.summary, after: now.summary))
            }
            var changes: [String] = []
            if column.nullable != now.nullable { changes.append(now.nullable ? "NOT NULL removed" : "NOT NULL set") }
            if column.default != now.default { changes.append(verb("default", column.default, now.default) + shortChange(column.default, now.default)) }
            if !changes.isEmpty {
                rows.append(judge(.columnChanged, columnSubject, changes.joined(separator: ", "), policy, before: column.summary, after: now.summary))
            }
        }
        for column in new where !oldNames.contains(column.name) {
            rows.append(judge(.columnAdded, "column \(after.name).\(column.name)", "added (\(column.summary))", policy, after: column.summary))
        }
        return rows
    }

    /// A PostgreSQL table's constraints, by name (`structure: ignore: indexes:` patterns leave
    /// them out as they do indexes, `table.constraint`).
    static func compareConstraints(_ before: CollectionInventory, _ after: CollectionInventory, policy: StructurePolicy) -> [StructureComparison] {
        guard before.constraints != nil || after.constraints != nil else { return [] }
        let subject = "\(label(after.type)) \(after.name)"
        guard let old = before.constraints, let new = after.constraints else {
            return [unknown(subject, "constraints unknown (\(refusal(before, after, what: "listed")))")]
        }
        var rows: [StructureComparison] = []
        let newByName = Dictionary(new.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let oldNames = Set(old.map(\.name))
        for constraint in old where !policy.ignores(index: constraint.name, of: after.name) {
            let constraintSubject = "constraint \(after.name).\(constraint.name)"
            guard let now = newByName[constraint.name] else {
                rows.append(
                    judge(.constraintDropped, constraintSubject, "dropped (\(constraint.type.rawValue))", policy, before: constraint.definition))
                continue
            }
            if constraint.type != now.type || constraint.definition != now.definition {
                rows.append(
                    judge(
                        .constraintChanged, constraintSubject, "changed" + shortChange(constraint.definition, now.definition), policy,
                        before: constraint.definition, after: now.definition))
            }
        }
        for constraint in new where !oldNames.contains(constraint.name) && !policy.ignores(index: constraint.name, of: after.name) {
            rows.append(
                judge(
                    .constraintAdded, "constraint \(after.name).\(constraint.name)", "added (\(constraint.type.rawValue))", policy,
                    after: constraint.definition))
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
        case .table: "table"
        }
    }

    /// ` (~120 documents)` for a collection with a count.
    static func details(_ collection: CollectionInventory) -> String {
        guard collection.type != .view, let count = collection.estimatedCount else { return "" }
        let noun = collection.type == .table ? "row" : "document"
        return " (~\(count) \(noun)\(count == 1 ? "" : "s"))"
    }

    /// ` (unique, TTL 3600 s, partial)`: what made the index matter.
    static func traits(_ index: IndexSpec) -> String {
        var traits: [String] = []
        if index.spec["unique"] == "true" { traits.append("unique") }
        if let ttl = index.spec["expireAfterSeconds"] { traits.append("TTL \(ttl) s") }
        if index.spec["primary"] == "true" { traits.append("primary key") }
        if index.spec["partialFilterExpression"] != nil || index.spec["predicate"] != nil { traits.append("partial") }
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
