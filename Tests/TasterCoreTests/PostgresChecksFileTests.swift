import Foundation
import Testing

@testable import TasterCore
@testable import TasterPostgres
@testable import TasterSettings
@testable import TasterSupport

/// The checks file in SQL's spelling, and the PostgreSQL settings: what is refused before the
/// server is touched (exit 2). Measuring is tested against the real server (testenv/tests/test_postgres.py).
@Suite("PostgreSQL checks file and settings")
struct PostgresChecksFileTests {
    func parse(_ text: String) throws(ChecksFileError) -> [CheckDefinition] {
        try ChecksFile.parse(text, file: "checks.yaml", defaultDatabase: "public", dialect: PostgresCheckDialect())
    }

    @Test("tables, where:, columns, query and asOfColumn become check definitions")
    func parsesSQL() throws {
        let checks = try parse(
            """
            checks:
              - {name: paid, kind: count, table: orders, where: "status = 'paid'"}
              - {name: revenue, kind: sum, table: sales.orders, column: total}
              - {name: print, kind: fingerprint, table: orders, columns: [status, total]}
              - {name: q, kind: query, query: "  select count(*) from orders;  "}
              - {name: cut, kind: count, table: orders, asOf: baseline, asOfColumn: created_at}
            """)
        #expect(checks.map(\.database) == ["public", "sales", "public", "public", "public"])
        #expect(checks[0].filter == "status = 'paid'")
        #expect(checks[1].collection == "orders" && checks[1].field == "total")
        #expect(checks[2].fields == ["status", "total"])
        #expect(checks[3].query == "select count(*) from orders")
        #expect(checks[4].asOf == AsOf(field: "created_at"))
        #expect(checks[0].parameters(cut: AsOfCut(time: .init(timeIntervalSince1970: 0)), dialect: PostgresCheckDialect())["where"] == "status = 'paid'")
    }

    @Test("README's PostgreSQL checks file is valid and uses every SQL kind")
    func readmeExample() throws {
        let readme = try String(contentsOfFile: FileManager.default.currentDirectoryPath + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## PostgreSQL").dropFirst().first)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let checks = try parse(yaml)
        #expect(Set(checks.map(\.kind)) == Set(CheckKind.allCases).subtracting([.aggregate]))
    }

    @Test(
        "refused before the server is touched",
        arguments: [
            ("{name: a, kind: count, collection: orders}", "PostgreSQL: `table:`"),
            ("{name: a, kind: count, table: orders, filter: {status: paid}}", "PostgreSQL: `where:`"),
            ("{name: a, kind: aggregate, table: orders}", "kind: query"),
            ("{name: a, kind: query, query: \"DELETE FROM orders\"}", "starts with DELETE"),
            ("{name: a, kind: query, query: \"SELECT 1; DROP TABLE orders\"}", "more than one statement"),
            ("{name: a, kind: count, table: orders, where: \"true; DROP TABLE orders\"}", "holds a `;`"),
            ("{name: a, kind: count, table: orders, asOf: baseline}", "needs `asOfColumn:`"),
            ("{name: a, kind: count, table: a.b.c}", "is not a table name"),
            ("{name: a, kind: fingerprint, table: orders, columns: [x, x]}", "twice"),
        ])
    func refuses(entry: String, message: String) {
        do {
            _ = try parse("checks:\n  - \(entry)\n")
            Issue.record("accepted: \(entry)")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }

    @Test("a semicolon inside a string literal or comment is not a second statement")
    func separators() throws {
        #expect(!SQLScanner("note = 'a;b'").hasSeparator)
        #expect(!SQLScanner("x = 1 -- a; b").hasSeparator)
        #expect(!SQLScanner("x = $q$a;b$q$ AND y = $$;$$").hasSeparator)
        #expect(!SQLScanner("x = E'it\\';' /* ; /* ; */ ; */").hasSeparator)
        #expect(SQLScanner("x = 1; y").hasSeparator)
        #expect(SQLScanner("x = $1; y").hasSeparator)
        #expect(PostgresCheckDialect.firstWord(of: "/* c */ (select 1)") == "select")
    }

    @Test(
        "a where: whose parentheses do not balance outside quotes is refused",
        arguments: [
            ("1=1) OR (1=1", "closes a parenthesis it did not open"),
            ("status = 'paid')) OR ((true", "closes a parenthesis it did not open"),
            ("(status = 'paid'", "is not closed"),
            ("note = E'\\') OR (true", "is not closed"),
            ("note = 'x", "is not closed"),
            ("x = 1 /* )", "is not closed"),
        ])
    func unbalanced(condition: String, message: String) {
        #expect(throws: CheckDialectError.self) { _ = try PostgresCheckDialect().condition(condition) }
        do {
            _ = try PostgresCheckDialect().condition(condition)
        } catch {
            #expect(error.detail.contains(message), "\(condition): \(error.detail)")
        }
    }

    @Test("parentheses inside quotes, identifiers and comments do not count")
    func balanced() throws {
        for condition in [
            "note = ')' AND (a = 1 OR b = 2)", "\"odd)name\" = 1", "x = 1 -- )", "x = 1 /* ) /* ( */ */",
            "note = E'\\')' AND x IN (1, 2)", "note = $t$)$t$", "status = 'it''s )'",
        ] {
            #expect(try PostgresCheckDialect().condition(condition) == condition)
        }
    }

    @Test(
        "every scalar beyond ASCII continues an identifier, as in PostgreSQL's lexer: `€$$` is no dollar quote",
        arguments: [
            // PostgreSQL reads `€$$` and `x€$$` as identifiers, so the `)` and `(` between are code.
            "€$$ IS NULL) OR (true OR €$$ IS NULL",
            "x€$$ = 1) OR (true OR y€$$ = 1",
            "\u{00A0}$$ IS NULL) OR (true OR \u{00A0}$$ IS NULL",
            "🙂$$ IS NULL) OR (true OR 🙂$$ IS NULL",
        ])
    func nonASCIIIdentifiers(condition: String) {
        #expect(SQLScanner(condition).closesOutside, "\(condition)")
        #expect(throws: CheckDialectError.self) { _ = try PostgresCheckDialect().condition(condition) }
    }

    @Test("identifier characters: ASCII letters, digits, _, $ and every scalar from 0x80")
    func identifierCharacters() {
        for scalar in ["a", "Z", "0", "9", "_", "$", "é", "€", "\u{80}", "\u{00A0}", "日", "🙂"] as [Unicode.Scalar] {
            #expect(SQLScanner.isIdentifierCharacter(scalar), "\(scalar.value)")
        }
        for scalar in [" ", "(", ")", "'", "\"", ";", "-", "\u{7F}", "\n"] as [Unicode.Scalar] {
            #expect(!SQLScanner.isIdentifierCharacter(scalar), "\(scalar.value)")
        }
        // After a non-ASCII identifier, `E'` is not an escape string: `\'` closes the quote.
        #expect(SQLScanner("€E'\\'").unterminated == false)
        #expect(SQLScanner("x = E'\\'").unterminated)
        // A dollar quote after an operator or a space still is one.
        #expect(!SQLScanner("x = $$)$$ AND é = 1").closesOutside)
    }

    @Test("allowNoPrimaryKey: on a fingerprint and a count that keeps evidence; refused where it names nothing")
    func allowNoPrimaryKey() throws {
        let checks = try parse(
            """
            checks:
              - {name: print, kind: fingerprint, table: log, columns: [status], allowNoPrimaryKey: true}
              - {name: rows, kind: count, table: log, evidence: documents, allowNoPrimaryKey: true}
              - {name: keyed, kind: fingerprint, table: orders, columns: [status]}
              - {name: plain, kind: count, table: orders}
            """)
        #expect(checks.map(\.allowNoPrimaryKey) == [true, true, false, false])
        #expect(checks.map(\.namesRows) == [true, true, true, false])
        let cut = AsOfCut(time: .init(timeIntervalSince1970: 0))
        #expect(checks[0].parameters(cut: cut, dialect: PostgresCheckDialect())["allowNoPrimaryKey"] == "true")
        #expect(checks[2].parameters(cut: cut, dialect: PostgresCheckDialect())["allowNoPrimaryKey"] == nil)
        for entry in [
            "{name: a, kind: count, table: log, allowNoPrimaryKey: true}",
            "{name: a, kind: sum, table: log, column: x, allowNoPrimaryKey: true}",
        ] {
            #expect(throws: ChecksFileError.self, "\(entry)") { _ = try parse("checks:\n  - \(entry)\n") }
        }
        do {
            _ = try parse("checks:\n  - {name: a, kind: count, table: log, allowNoPrimaryKey: true}\n")
        } catch {
            #expect(error.description.contains("evidence: documents"), "\(error)")
        }
    }

    @Test("the refusal of unkeyed tables names each check and table, the option and the cure, and exits 2")
    func noPrimaryKeyMessage() throws {
        let checks = try parse(
            """
            checks:
              - {name: print, kind: fingerprint, table: log, columns: [status]}
              - {name: rows, kind: count, table: audit.events, evidence: documents}
            """)
        let error = NoPrimaryKeyError(checks: checks)
        #expect(error.exitCode == .usage)
        for text in [
            "2 checks", "checks file checks.yaml, check \"print\" (#1) reads public.log, which has no primary key",
            "check \"rows\" (#2) reads audit.events", "two rows trading values would pass", "allowNoPrimaryKey: true",
            "GENERATED ALWAYS AS IDENTITY PRIMARY KEY",
        ] {
            #expect(error.description.contains(text), "\(text)")
        }
    }

    @Test("MongoDB's file refuses a query check")
    func mongoRefusesQuery() {
        #expect(throws: ChecksFileError.self) {
            _ = try ChecksFile.parse(
                "checks:\n  - {name: a, kind: query, collection: c, query: \"SELECT 1\"}\n", file: "f", defaultDatabase: "d",
                dialect: TestDialect())
        }
    }

    @Test("DATABASE_URL chooses PostgreSQL, its password is registered and never shown")
    func settings() throws {
        let password = "Pg-s3cret@:/?x"
        let url = "postgresql://taster:\(PercentEncoding.escapeUserInfo(password))@db.example:5432/shop?sslmode=verify-full"
        let loaded = try Settings.load(from: Environment(["DATABASE_URL": url]))
        guard case .postgres(let postgres) = try loaded.requireDatabase() else {
            Issue.record("not PostgreSQL")
            return
        }
        #expect(postgres.display == "postgresql://taster@db.example:5432/shop?sslmode=verify-full")
        #expect(postgres.databaseName == "shop")
        #expect(SecretRedactor.shared.scrub("oops \(password)") != "oops \(password)")
        #expect(!loaded.table.contains("s3cret"))
    }

    @Test("both engines, or a URI of another scheme, is exit 2 naming the variables")
    func engines() {
        do {
            _ = try Settings.load(from: Environment(["DATABASE_URL": "postgresql://h/db", "MONGODB_URI": "mongodb://h/"]))
            Issue.record("both engines were accepted")
        } catch {
            #expect(error.problems.map(\.variable) == ["MONGODB_URI, DATABASE_URL"])
        }
        do {
            _ = try Settings.load(from: Environment(["DATABASE_URL": "mysql://u:pw-hidden@h/db"]))
            Issue.record("mysql:// was accepted")
        } catch {
            #expect(error.description.contains("postgres://") && !error.description.contains("pw-hidden"))
        }
    }

    @Test(
        "a DATABASE_URL libpq cannot parse: its complaint without the piece it quotes, which may be the password",
        arguments: [
            "postgresql://taster@127.0.0.1:1/db?password=Sup3rS%ZZecretPw99",
            "postgresql://taster@127.0.0.1:1/db?password=Sup3rSecret%00Pw99",
            "postgresql://u@[::1/db?password=Sup3rSecretPw99",
        ])
    func unparsable(url: String) {
        do {
            _ = try Settings.load(from: Environment(["DATABASE_URL": url]))
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description.contains("DATABASE_URL") && error.description.contains("does not parse"))
            #expect(!error.description.contains("Sup3r") && !error.description.contains("Pw99"), "\(error.description)")
        }
    }
}

/// A dialect with MongoDB's spelling and no parser: for what the file refuses before a filter is read.
private struct TestDialect: CheckDialect {
    func canonicalDocument(_ json: String) throws(CheckDialectError) -> String { json }
    func pipelineStages(_ json: String) throws(CheckDialectError) -> [PipelineStage]? { nil }
    func display(_ canonical: String) -> String { canonical }
}
