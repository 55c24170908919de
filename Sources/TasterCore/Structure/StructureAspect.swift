/// One kind of structure difference; each has a default severity that the checks file's
/// `structure: severity:` can override (README, "Structure").
package enum StructureAspect: String, Sendable, Codable, CaseIterable {
    case collectionDropped
    case collectionCreated
    /// The estimated count went from more than 0 to 0.
    case collectionEmptied
    /// A collection became a view, a view a collection, and so on.
    case collectionTypeChanged
    case indexDropped
    /// `key`, `unique`, `partialFilterExpression`, `sparse`, `collation` or `expireAfterSeconds`.
    case indexChanged
    /// Any other field of an index's spec (`hidden`, `weights`, `wildcardProjection`, ...).
    case indexOptionsChanged
    case indexAdded
    /// `validator`, `validationLevel` or `validationAction`.
    case validationChanged
    /// A view's source (`viewOn`) or `pipeline`.
    case viewChanged
    /// `capped`, `size` or `max`.
    case cappedChanged
    case timeseriesChanged
    /// The collection's own `expireAfterSeconds` (time series, clustered collections).
    case expiryChanged
    /// Any other option: `collation`, `clusteredIndex`, `changeStreamPreAndPostImages`, ...
    case optionsChanged
    /// A column of a table or view is gone (PostgreSQL).
    case columnDropped
    /// A column appeared.
    case columnAdded
    /// A column's type changed (`integer` to `bigint`, `numeric(12,2)` to `numeric(10,2)`).
    case columnTypeChanged
    /// A column's nullability or default changed.
    case columnChanged
    /// A primary key, unique, foreign-key, check or exclusion constraint is gone.
    case constraintDropped
    /// A constraint's definition changed.
    case constraintChanged
    case constraintAdded

    package var defaultSeverity: StructureSeverity {
        switch self {
        case .collectionDropped, .collectionEmptied, .collectionTypeChanged, .indexDropped, .indexChanged,
            .cappedChanged, .timeseriesChanged, .expiryChanged, .columnDropped, .columnTypeChanged, .constraintDropped,
            .constraintChanged:
            .fail
        case .collectionCreated, .validationChanged, .viewChanged, .indexOptionsChanged, .optionsChanged, .columnChanged:
            .warn
        case .indexAdded, .columnAdded, .constraintAdded:
            .pass
        }
    }

    /// The aspect a changed collection option belongs to.
    package static func forOption(_ option: String) -> StructureAspect {
        switch option {
        case "validator", "validationLevel", "validationAction": .validationChanged
        case "viewOn", "pipeline", "definition": .viewChanged
        case "capped", "size", "max": .cappedChanged
        case "timeseries": .timeseriesChanged
        case "expireAfterSeconds": .expiryChanged
        default: .optionsChanged
        }
    }

    /// The index fields whose change fails by default (`indexChanged`); the others are
    /// `indexOptionsChanged`. `v` (the index version) and `ns` are bookkeeping and not compared.
    /// PostgreSQL's indexes: their `definition` (`pg_get_indexdef`), `unique`, `primary` and
    /// partial `predicate`.
    package static let indexIntegrityFields: Set<String> = [
        "key", "unique", "partialFilterExpression", "sparse", "collation", "expireAfterSeconds",
        "definition", "primary", "predicate",
    ]
    static let indexBookkeepingFields: Set<String> = ["v", "ns"]
}

/// What a structure difference does to the sync: `fail` fails it, `warn` reports it, `pass`
/// lists it only.
package enum StructureSeverity: String, Sendable, Codable, CaseIterable {
    case fail
    case warn
    case pass
}
