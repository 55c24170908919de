/// One column of a PostgreSQL table or view (`pg_attribute`): its name, its type as the server
/// writes it (`format_type`: `numeric(12,2)`, `character varying(80)`), whether it takes NULL,
/// and its default expression (`pg_get_expr`), if any.
package struct ColumnSpec: Sendable, Equatable, Codable {
    package var name: String
    package var type: String
    package var nullable: Bool
    package var `default`: String?

    package init(name: String, type: String, nullable: Bool, default: String? = nil) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.default = `default`
    }

    /// `numeric(12,2) NOT NULL DEFAULT 0`.
    package var summary: String {
        type + (nullable ? "" : " NOT NULL") + (self.default.map { " DEFAULT \($0)" } ?? "")
    }
}
