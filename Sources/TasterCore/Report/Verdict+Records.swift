/// How a verdict names the records behind its checks: MongoDB's documents by `_id` and their
/// fields, PostgreSQL's rows by primary key and their columns.
extension Verdict {
    private var isSQL: Bool { engine == .postgresql }

    /// "documents" or "rows", inside a sentence.
    package var records: String { isSQL ? "rows" : "documents" }
    /// "Documents" or "Rows", as a heading.
    package var recordsHeading: String { isSQL ? "Rows" : "Documents" }
    /// "fields" or "columns", inside a sentence.
    package var fields: String { isSQL ? "columns" : "fields" }
    /// "Fields" or "Columns", as a heading.
    package var fieldsHeading: String { isSQL ? "Columns" : "Fields" }
    /// What identifies a record, as a table heading.
    package var identityHeading: String { isSQL ? "Primary key" : "_id" }
    /// What identifies a record, as HTML inside a sentence.
    package var identityHTML: String { isSQL ? "primary key" : "<code>_id</code>" }
}
