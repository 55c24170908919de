import TasterCore

/// A table's primary key as the identity of its rows in a document index: each key value
/// encoded as the BSON value the index format, its order, the merge and the extended-JSON
/// rendering already know, and the `ORDER BY` that reads the rows in exactly that order.
///
/// | column type                 | BSON value                 | read in the order of     |
/// |-----------------------------|----------------------------|--------------------------|
/// | `smallint`, `integer`       | int32                      | the column               |
/// | `bigint`                    | int64                      | the column               |
/// | `text`, `varchar`           | string                     | `column COLLATE "C"`     |
/// | `uuid`                      | binary, subtype 4          | the column               |
/// | any other type              | string of `column::text`   | `column::text COLLATE "C"` |
///
/// A key of several columns is a document of them, in key order (`{"region": "eu", "id": 7}`).
/// `COLLATE "C"` compares bytes, as MongoDB's order of strings does; the server's own collation
/// (`en_US`, ICU) would sort `B` before `a` differently and the merge of two indexes, which
/// refuses records out of order, would say so rather than pair the wrong rows.
struct PrimaryKey {
    struct Column {
        let name: String
        /// `pg_type.oid` of the column.
        let type: UInt32
    }

    let columns: [Column]

    var isEmpty: Bool { columns.isEmpty }

    /// How one key column becomes a BSON value.
    enum Encoding {
        case int32
        case int64
        case string
        case uuid
        /// Its text (`::text`), as a string.
        case text
    }

    static func encoding(of type: UInt32) -> Encoding {
        switch type {
        case TypeID.int2, TypeID.int4: .int32
        case TypeID.int8: .int64
        case TypeID.text, TypeID.varchar: .string
        case TypeID.uuid: .uuid
        default: .text
        }
    }

    /// The `SELECT` expressions the identity is read from, one per key column, in key order.
    func selected(_ identifier: (String) -> String) -> [String] {
        columns.map { column in
            Self.encoding(of: column.type) == .text ? "(\(identifier(column.name)))::text" : identifier(column.name)
        }
    }

    /// The `ORDER BY` list that reads rows in the order of their identities.
    func ordering(_ identifier: (String) -> String) -> String {
        columns.map { column in
            let name = identifier(column.name)
            switch Self.encoding(of: column.type) {
            case .int32, .int64, .uuid: return name
            case .string: return "\(name) COLLATE \"C\""
            case .text: return "(\(name))::text COLLATE \"C\""
            }
        }.joined(separator: ", ")
    }

    /// The identity of `row` of `result`, whose key columns (as `selected`) start at column
    /// `first`: a BSON type and value bytes; nil when a value cannot be encoded.
    func identity(of result: PostgresResult, row: Int, first: Int) -> (type: UInt8, bytes: [UInt8])? {
        if columns.count == 1 {
            guard let text = result.text(row: row, column: first) else { return nil }
            return Self.value(text, Self.encoding(of: columns[0].type))
        }
        var elements: [UInt8] = []
        for (offset, column) in columns.enumerated() {
            guard let text = result.text(row: row, column: first + offset),
                let (type, bytes) = Self.value(text, Self.encoding(of: column.type))
            else { return nil }
            elements.append(type)
            elements += Array(column.name.utf8) + [0]
            elements += bytes
        }
        return (BSONRawValue.document, Self.int32(Int32(4 + elements.count + 1)) + elements + [0])
    }

    /// One key value as BSON value bytes (little-endian, as BSON stores them).
    static func value(_ text: String, _ encoding: Encoding) -> (type: UInt8, bytes: [UInt8])? {
        switch encoding {
        case .int32:
            return Int32(text).map { (BSONRawValue.int32, int32($0)) }
        case .int64:
            return Int64(text).map { (BSONRawValue.int64, withUnsafeBytes(of: $0.littleEndian, Array.init)) }
        case .string, .text:
            let bytes = Array(text.utf8)
            return (BSONRawValue.string, int32(Int32(bytes.count + 1)) + bytes + [0])
        case .uuid:
            let digits = text.utf8.filter { $0 != UInt8(ascii: "-") }
            guard digits.count == 32 else { return nil }
            var bytes: [UInt8] = []
            var index = digits.startIndex
            while index < digits.endIndex {
                guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(byte)
                index += 2
            }
            return (BSONRawValue.binary, int32(16) + [4] + bytes)
        }
    }

    static func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
}
