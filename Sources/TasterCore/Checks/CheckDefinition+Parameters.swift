extension CheckDefinition {
    /// The check's settings as people read them in a report: filter and pipeline in the
    /// dialect's readable form, the fields, and the cut of `asOf: baseline`.
    package func parameters(cut: AsOfCut, dialect: any CheckDialect) -> [String: String] {
        var parameters: [String: String] = [:]
        if let filter { parameters[dialect.language == .sql ? "where" : "filter"] = dialect.display(filter) }
        if let query { parameters["query"] = query }
        if let field { parameters["field"] = field }
        if !fields.isEmpty { parameters["fields"] = fields.joined(separator: ",") }
        if !pipeline.isEmpty { parameters["pipeline"] = "[" + pipeline.map(dialect.display).joined(separator: ", ") + "]" }
        if let asOf { parameters["asOf"] = cut.describe(asOf) }
        if allowNoPrimaryKey { parameters["allowNoPrimaryKey"] = "true" }
        return parameters
    }
}
