/// One constraint of a PostgreSQL table (`pg_constraint`): its name, its type and its definition
/// as the server writes it (`pg_get_constraintdef`: `UNIQUE (email)`,
/// `FOREIGN KEY (order_id) REFERENCES orders(id)`, `CHECK (qty > 0)`).
package struct ConstraintSpec: Sendable, Equatable, Codable {
    package enum Kind: String, Sendable, Codable {
        case primaryKey = "primary key"
        case unique
        case foreignKey = "foreign key"
        case check
        case exclusion
        case other
    }

    package var name: String
    package var type: Kind
    package var definition: String

    package init(name: String, type: Kind, definition: String) {
        self.name = name
        self.type = type
        self.definition = definition
    }
}
