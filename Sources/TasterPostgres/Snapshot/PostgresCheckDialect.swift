import FoundationEssentials
import TasterCore

/// PostgreSQL's dialect of the checks file: `where:` is an SQL condition and `query:` a single
/// read-only SELECT. What can be told without the server is told here (exit 2 before anything
/// is touched); the server tells the rest when the check runs, inside a READ ONLY transaction and
/// through the extended protocol, which refuses a second statement.
package struct PostgresCheckDialect: CheckDialect {
    package init() {}

    package var language: CheckLanguage { .sql }

    /// A condition runs as `WHERE (condition) AND cut`: a `)` that closes what the condition
    /// did not open (`1=1) OR (1=1`) would escape its parentheses and the `asOf` cut with them.
    /// Parentheses must balance outside quotes and comments (`SQLScanner`, which reads them as
    /// PostgreSQL's lexer does); a `--` comment is harmless, as the text is wrapped on lines of
    /// its own.
    package func condition(_ sql: String) throws(CheckDialectError) -> String {
        let text = sql.trimmingSpaces()
        guard !text.isEmpty else { throw CheckDialectError(detail: "is empty") }
        let scanned = SQLScanner(text)
        if scanned.hasSeparator {
            throw CheckDialectError(detail: "must be one SQL condition, e.g. `status = 'paid'`; it holds a `;`")
        }
        if scanned.unterminated {
            throw CheckDialectError(detail: "must be one SQL condition; a quote or a /* comment in it is not closed")
        }
        if scanned.closesOutside || scanned.openAtEnd > 0 {
            throw CheckDialectError(
                detail: "must be one SQL condition whose parentheses balance; "
                    + (scanned.closesOutside ? "a `)` in it closes a parenthesis it did not open" : "a `(` in it is not closed"))
        }
        return text
    }

    package func query(_ sql: String) throws(CheckDialectError) -> String {
        var text = sql.trimmingSpaces()
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingSpaces() }
        if SQLScanner(text).hasSeparator {
            throw CheckDialectError(detail: "must be a single SELECT; it holds more than one statement")
        }
        let first = Self.firstWord(of: text).uppercased()
        guard first == "SELECT" || first == "WITH" else {
            throw CheckDialectError(
                detail: "must be a single read-only SELECT returning one number; it starts with \(first.isEmpty ? "nothing" : first)")
        }
        return text
    }

    package func display(_ canonical: String) -> String { canonical }

    package func canonicalDocument(_ json: String) throws(CheckDialectError) -> String {
        throw CheckDialectError(detail: "PostgreSQL checks take an SQL condition in `where:`, not a filter document")
    }

    package func pipelineStages(_ json: String) throws(CheckDialectError) -> [PipelineStage]? {
        throw CheckDialectError(detail: "PostgreSQL checks take an SQL SELECT in `query:`, not a pipeline")
    }

    /// The first keyword, after spaces, comments and opening parentheses.
    static func firstWord(of text: String) -> String {
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace || $0 == "(" }
            if rest.hasPrefix("--") {
                rest = rest.drop { $0 != "\n" }
            } else if rest.hasPrefix("/*") {
                var inside = rest.dropFirst(2)
                while !inside.isEmpty && !inside.hasPrefix("*/") { inside = inside.dropFirst() }
                rest = inside.dropFirst(2)
            } else {
                break
            }
        }
        return String(rest.prefix { $0.isLetter })
    }
}
