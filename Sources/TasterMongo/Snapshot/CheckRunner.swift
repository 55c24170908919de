import FoundationEssentials
import TasterCore
import TasterSupport

/// Measures one check on a lent client: builds its filter or pipeline, runs it with `maxTimeMS`
/// from the deadline, and turns the reply into an exact `CheckValue`. Blocking: runs inside
/// `Blocking.run`. Does not retry: libmongoc already retries a read once on a network error.
struct CheckRunner {
    let client: MongoClient
    /// The cut for `asOf: baseline` checks.
    let cut: AsOfCut
    let deadline: Deadline
    let cancellation: CancellationFlag
    /// Set when the check keeps a document index (`CheckDefinition.indexesDocuments`).
    var evidence: EvidencePolicy? = nil

    /// What a check measured.
    struct Measurement {
        var value: CheckValue?
        var documents: Int64?
        /// Measured fields that no considered document holds (see `CheckResult.absentFields`).
        var absentFields: [String] = []
        /// The check's document index, when it keeps one.
        var index: DocumentIndexOutcome?
    }

    /// Fingerprints read this many documents per round trip (the server caps a batch at 16 MiB).
    static let fingerprintBatchSize: Int32 = 50_000

    func measure(_ check: CheckDefinition) throws -> Measurement {
        let operation = "\(check.kind.rawValue) of \(check.database).\(check.collection) (\(check.origin))"
        try deadline.check("the snapshot (check \"\(check.name)\")")
        let options = BSONDocument().appending("maxTimeMS", max(deadline.remaining.milliseconds, 1))
        return try client.withCollection(database: check.database, name: check.collection) { collection in
            switch check.kind {
            case .count:
                let count = try collection.countDocuments(filter: try filter(of: check), options: options, operation: operation)
                var measurement = Measurement(value: .int64(count))
                if let evidence {
                    measurement.index = try index(check, policy: evidence, collection: collection, operation: operation)
                }
                return measurement
            case .estimatedCount:
                let count = try collection.estimatedDocumentCount(options: options, operation: operation)
                return Measurement(value: .int64(count))
            case .sum:
                return try sum(check, collection: collection, options: options, operation: operation)
            case .min, .max:
                return try extreme(check, collection: collection, options: options, operation: operation)
            case .distinctCount:
                return try distinctCount(check, collection: collection, options: options, operation: operation)
            case .aggregate:
                return try aggregate(check, collection: collection, options: options, operation: operation)
            case .fingerprint:
                return try fingerprint(check, collection: collection, options: options, operation: operation)
            case .query:
                throw CheckMeasurementError(check: check, message: "kind query is SQL (PostgreSQL); with MongoDB use kind: aggregate")
            }
        }
    }

    // MARK: Filters

    /// The check's filter, and the cut when it is `asOf: baseline`, as one document.
    func filterJSON(of check: CheckDefinition, extra: String? = nil) -> String {
        let parts = [check.filter, check.asOf.map { cut.filterJSON(for: $0) }, extra].compactMap { $0 }
        switch parts.count {
        case 0: return "{}"
        case 1: return parts[0]
        default: return "{\"$and\": [\(parts.joined(separator: ", "))]}"
        }
    }

    func filter(of check: CheckDefinition) throws -> BSONDocument {
        try BSONDocument(json: filterJSON(of: check))
    }

    /// `{"pipeline": [stages...]}` as libmongoc takes it.
    func pipeline(_ stages: [String]) throws -> BSONDocument {
        try BSONDocument(json: "{\"pipeline\": [\(stages.joined(separator: ", "))]}")
    }

    /// `$field` as an aggregation expression.
    func path(_ field: String) -> String { ExtendedJSONText.quote("$" + field) }

    /// An accumulator counting the documents that hold `field` (of any type, null included), so
    /// a field absent from every document is seen in the same round trip as the value.
    func presentCount(_ field: String) -> String {
        "{\"$sum\": {\"$cond\": [{\"$eq\": [{\"$type\": \(path(field))}, \"missing\"]}, 0, 1]}}"
    }

    /// `[field]` when documents were considered and none held the field.
    static func absent(_ field: String, documents: Int64, present: Int64) -> [String] {
        documents > 0 && present == 0 ? [field] : []
    }

    // MARK: Kinds

    func sum(_ check: CheckDefinition, collection: MongoCollection, options: BSONDocument, operation: String) throws -> Measurement {
        let field = check.field ?? ""
        // `doubles` tells a genuine double sum from an int64 sum that overflowed, which MongoDB
        // would silently return as a rounded double.
        let group = """
            {"$group": {"_id": null, "value": {"$sum": \(path(field))}, "documents": {"$sum": 1}, \
            "doubles": {"$sum": {"$cond": [{"$eq": [{"$type": \(path(field))}, "double"]}, 1, 0]}}, \
            "present": \(presentCount(field))}}
            """
        guard
            let result = try single(
                check, collection: collection, stages: ["{\"$match\": \(filterJSON(of: check))}", group],
                options: options, operation: operation)
        else {
            return Measurement(value: .int64(0), documents: 0)
        }
        let documents = result["documents"]?.int64 ?? 0
        let value = result["value"].flatMap(CheckValue.init(number:))
        if case .double = value, result["doubles"]?.int64 == 0 {
            throw CheckMeasurementError(
                check: check,
                message: "the sum of field \(field) overflowed 64-bit integers and MongoDB rounded it to a double; "
                    + "sum {$toDecimal: \"$\(field)\"} in an aggregate check instead")
        }
        return Measurement(
            value: value ?? .int64(0), documents: documents,
            absentFields: Self.absent(field, documents: documents, present: result["present"]?.int64 ?? 0))
    }

    func extreme(_ check: CheckDefinition, collection: MongoCollection, options: BSONDocument, operation: String) throws -> Measurement {
        let accumulator = check.kind == .min ? "$min" : "$max"
        let field = check.field ?? ""
        let group =
            "{\"$group\": {\"_id\": null, \"value\": {\"\(accumulator)\": \(path(field))}, \"documents\": {\"$sum\": 1}, "
            + "\"present\": \(presentCount(field))}}"
        guard
            let result = try single(
                check, collection: collection, stages: ["{\"$match\": \(filterJSON(of: check))}", group],
                options: options, operation: operation)
        else {
            return Measurement(value: nil, documents: 0)
        }
        let documents = result["documents"]?.int64 ?? 0
        return Measurement(
            value: CheckValue(anyAt: "value", in: result), documents: documents,
            absentFields: Self.absent(field, documents: documents, present: result["present"]?.int64 ?? 0))
    }

    func distinctCount(_ check: CheckDefinition, collection: MongoCollection, options: BSONDocument, operation: String) throws -> Measurement {
        let field = check.field ?? ""
        let exists = "{\(ExtendedJSONText.quote(field)): {\"$exists\": true}}"
        // One round trip: the distinct values among the documents that have the field, and how
        // many documents the filter matched at all (to tell an absent field from an empty match).
        let stages = [
            "{\"$match\": \(filterJSON(of: check))}",
            """
            {"$facet": {"values": [{"$match": \(exists)}, {"$group": {"_id": \(path(field)), "n": {"$sum": 1}}}, \
            {"$group": {"_id": null, "value": {"$sum": 1}, "documents": {"$sum": "$n"}}}], \
            "considered": [{"$group": {"_id": null, "n": {"$sum": 1}}}]}}
            """,
        ]
        guard let result = try single(check, collection: collection, stages: stages, options: options, operation: operation) else {
            return Measurement(value: .int64(0), documents: 0)
        }
        let values = result.documents(inArray: "values")?.first
        let considered = result.documents(inArray: "considered")?.first?["n"]?.int64 ?? 0
        let documents = values?["documents"]?.int64 ?? 0
        return Measurement(
            value: .int64(values?["value"]?.int64 ?? 0), documents: documents,
            absentFields: Self.absent(field, documents: considered, present: documents))
    }

    func aggregate(_ check: CheckDefinition, collection: MongoCollection, options: BSONDocument, operation: String) throws -> Measurement {
        let cutStage = check.asOf.map { "{\"$match\": \(cut.filterJSON(for: $0))}" }
        let field = check.field ?? ""
        guard
            let result = try single(
                check, collection: collection, stages: [cutStage].compactMap { $0 } + check.pipeline,
                options: options, operation: operation)
        else {
            return Measurement(value: nil, documents: 0)
        }
        guard let found = result[field] else {
            throw CheckMeasurementError(
                check: check,
                message: "the pipeline's result has no field \(field): \(result.relaxedJSON); "
                    + "set `field:` to the name the last stage gives the number")
        }
        guard let value = CheckValue(number: found) else {
            throw CheckMeasurementError(check: check, message: "field \(field) of the pipeline's result is not a number: \(result.relaxedJSON)")
        }
        return Measurement(value: value)
    }

    func fingerprint(_ check: CheckDefinition, collection: MongoCollection, options: BSONDocument, operation: String) throws -> Measurement {
        let projection = BSONDocument()
        for field in check.fields { projection.appending(field, Int32(1)) }
        options.appending("projection", projection).appending("batchSize", Self.fingerprintBatchSize)
        // The index is written in the server's `_id` order: the server walks its `_id` index,
        // taster never sorts.
        let indexer = evidence.map { DocumentIndexer(check: check, policy: $0) }
        if indexer != nil { options.appending("sort", BSONDocument().appending("_id", Int32(1))) }
        let presence = FieldPresence(fields: check.fields)
        let fingerprint = try collection.withFind(filter: try filter(of: check), options: options, operation: operation) { cursor in
            try Fingerprint.digest(
                &cursor, fields: check.fields, cancellation: cancellation, deadline: deadline,
                step: "the snapshot (check \"\(check.name)\")", presence: presence, indexer: indexer)
        }
        return Measurement(
            value: .digest(fingerprint.hex), documents: fingerprint.documents,
            absentFields: fingerprint.documents > 0 ? presence.absent : [], index: indexer?.finish())
    }

    /// A count's document index (`evidence: documents`): the `_id`s of the documents it counts,
    /// in `_id` order.
    func index(_ check: CheckDefinition, policy: EvidencePolicy, collection: MongoCollection, operation: String) throws -> DocumentIndexOutcome {
        let options = BSONDocument()
            .appending("maxTimeMS", max(deadline.remaining.milliseconds, 1))
            .appending("projection", BSONDocument().appending("_id", Int32(1)))
            .appending("sort", BSONDocument().appending("_id", Int32(1)))
            .appending("batchSize", Self.fingerprintBatchSize)
        let indexer = DocumentIndexer(check: check, policy: policy)
        do {
            try collection.withFind(filter: try filter(of: check), options: options, operation: operation + ", its document index") { cursor in
                var read: Int64 = 0
                while let document = try cursor.next() {
                    indexer.add(document)
                    read += 1
                    if read & 1023 == 0 {
                        if cancellation.isCancelled { throw CancellationError() }
                        try deadline.check("the snapshot (check \"\(check.name)\", its document index)")
                    }
                }
            }
        } catch let error as MongoError {
            // The count is measured; its evidence is extra. A server that refuses the sorted read
            // of the `_id`s (a sort limit, a missing privilege) costs the evidence, never the
            // verdict. Cancellation and the deadline still end the run.
            return .skipped("the server refused to read the _ids in order: \(error)")
        }
        return indexer.finish()
    }

    /// Runs `stages` and returns the one result document; nil when there is none; an error
    /// naming the check when there are more.
    func single(
        _ check: CheckDefinition, collection: MongoCollection, stages: [String], options: BSONDocument,
        operation: String
    ) throws -> BSONDocument? {
        let documents = try collection.withAggregate(pipeline: try pipeline(stages), options: options, operation: operation) { cursor in
            try cursor.all(limit: 2)
        }
        if documents.count > 1 {
            throw CheckMeasurementError(
                check: check,
                message: "the pipeline returned more than one document; "
                    + "end it with a stage that leaves one, e.g. {$group: {_id: null, n: {$sum: 1}}}")
        }
        return documents.first
    }
}

extension CheckValue {
    /// An exact number from BSON: int32 and int64 as int64, Decimal128 as its string, doubles as
    /// doubles. Nil for anything else.
    init?(number: BSONValue) {
        switch number {
        case .int32(let value): self = .int64(Int64(value))
        case .int64(let value): self = .int64(value)
        case .double(let value): self = .double(value)
        case .decimal128(let value): self = .decimal(value)
        default: return nil
        }
    }

    /// The value at `key` of `document` for min/max: a number exactly, null or absent as nil,
    /// anything else (a string, a date, an ObjectId) as canonical extended JSON.
    init?(anyAt key: String, in document: BSONDocument) {
        guard let value = document[key] else { return nil }
        if let number = CheckValue(number: value) {
            self = number
            return
        }
        if value == .null { return nil }
        guard let json = document.canonicalJSON(at: key) else { return nil }
        self = .text(json)
    }
}
