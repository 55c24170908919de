import TasterCore

/// MongoDB's dialect of the checks file: filters and pipelines are extended JSON, parsed and
/// made canonical by libbson.
package struct MongoCheckDialect: CheckDialect {
    package init() {}

    package func canonicalDocument(_ json: String) throws(CheckDialectError) -> String {
        do {
            return try BSONDocument(json: json).canonicalJSON
        } catch {
            throw CheckDialectError(detail: error.detail)
        }
    }

    package func pipelineStages(_ json: String) throws(CheckDialectError) -> [PipelineStage]? {
        let wrapper: BSONDocument
        do {
            wrapper = try BSONDocument(json: "{\"pipeline\": \(json)}")
        } catch {
            throw CheckDialectError(detail: error.detail)
        }
        return wrapper.documents(inArray: "pipeline")?.map {
            PipelineStage(keys: $0.keys, canonicalJSON: $0.canonicalJSON, relaxedJSON: $0.relaxedJSON)
        }
    }

    package func display(_ canonical: String) -> String {
        (try? BSONDocument(json: canonical).relaxedJSON) ?? canonical
    }
}
