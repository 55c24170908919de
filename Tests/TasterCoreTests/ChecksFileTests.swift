import Foundation
import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterSettings
@testable import TasterSupport

/// The checks file: every kind parses into a definition; every mistake is an exit-2 error naming
/// the file and the check, before MongoDB is touched.
@Suite("Checks file")
struct ChecksFileTests {
    let file = "/etc/taster/checks.yaml"

    func parse(_ text: String) throws -> [CheckDefinition] {
        try ChecksFile.parse(text, file: file, defaultDatabase: "pxbbq", dialect: MongoCheckDialect())
    }

    func failure(_ text: String) -> ChecksFileError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? ChecksFileError
        }
    }

    @Test("every kind, rule and option parses")
    func everyKind() throws {
        let checks = try parse(
            """
            checks:
              - name: paid
                kind: count
                collection: orders
                filter: {status: paid, total: {$gt: 5}}
                rule: no-decrease
              - name: all-fast
                kind: estimated-count
                collection: orders
                severity: warn
              - name: revenue
                kind: sum
                collection: orders
                database: shop
                field: total
                rule: tolerance
                tolerance: 2%
              - {name: first, kind: min, collection: orders, field: createdAt}
              - {name: last, kind: max, collection: orders, field: createdAt, filter: '{"status": "paid"}'}
              - {name: customers, kind: distinct-count, collection: orders, field: customer.id}
              - name: open
                kind: aggregate
                collection: orders
                pipeline:
                  - $match: {status: open}
                  - $count: n
                field: n
                asOf: baseline
              - name: orders-digest
                kind: fingerprint
                collection: orders
                fields: [status, total, customer.id]
                asOf: baseline
                asOfField: createdAt
            """)
        #expect(checks.map(\.kind) == [.count, .estimatedCount, .sum, .min, .max, .distinctCount, .aggregate, .fingerprint])
        #expect(checks[0].filter == #"{ "status" : "paid", "total" : { "$gt" : { "$numberInt" : "5" } } }"#)
        #expect(checks[0].rule == .noDecrease)
        #expect(checks[1].severity == .warn)
        #expect(checks[2].database == "shop")
        #expect(checks[2].rule == .tolerance(.percent(2)))
        #expect(checks[3].database == "pxbbq")
        #expect(checks[4].filter == #"{ "status" : "paid" }"#)
        #expect(checks[5].field == "customer.id")
        #expect(checks[6].pipeline == [#"{ "$match" : { "status" : "open" } }"#, #"{ "$count" : "n" }"#])
        #expect(checks[6].asOf == AsOf(field: "_id"))
        #expect(checks[7].fields == ["status", "total", "customer.id"])
        #expect(checks[7].asOf == AsOf(field: "createdAt"))
        #expect(checks[7].origin == "checks file \(file), check \"orders-digest\" (#8)")
    }

    @Test("README's example checks file is valid")
    func readmeExample() throws {
        let readme = try String(contentsOfFile: FileManager.default.currentDirectoryPath + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Checks file").dropFirst().first)
        let yaml = try #require(section.components(separatedBy: "```yaml\n").dropFirst().first?.components(separatedBy: "```").first)
        let checks = try parse(yaml)
        // `query` is SQL's kind (README, PostgreSQL).
        #expect(Set(checks.map(\.kind)) == Set(CheckKind.allCases).subtracting([.query]))
        #expect(checks.first { $0.name == "revenue" }?.rule == .tolerance(.percent(Decimal(string: "0.5")!)))
    }

    @Test("JSON is accepted, with extended JSON values")
    func json() throws {
        let checks = try parse(
            """
            {"checks": [{"name": "recent", "kind": "count", "collection": "orders",
                         "filter": {"createdAt": {"$gte": {"$date": "2024-01-01T00:00:00Z"}}, "n": {"$numberLong": "5"}}}]}
            """)
        #expect(checks[0].filter == #"{ "createdAt" : { "$gte" : { "$date" : { "$numberLong" : "1704067200000" } } }, "n" : { "$numberLong" : "5" } }"#)
    }

    @Test("YAML values keep their type: quoted numbers, `no` and dates stay strings")
    func scalarTypes() throws {
        let checks = try parse(
            """
            checks:
              - name: typed
                kind: count
                collection: orders
                filter: {a: 5, b: "5", c: 1.5, d: no, e: true, f: null, g: 2024-01-01, h: 9007199254740993, i: .inf}
            """)
        #expect(
            checks[0].filter
                == #"{ "a" : { "$numberInt" : "5" }, "b" : "5", "c" : { "$numberDouble" : "1.5" }, "d" : "no", "e" : true, "f" : null, "g" : "2024-01-01", "h" : { "$numberLong" : "9007199254740993" }, "i" : { "$numberDouble" : "Infinity" } }"#
        )
    }

    @Test("a YAML syntax error names the file, the line and the check it is in")
    func yamlError() throws {
        let error = try #require(
            failure(
                """
                checks:
                  - name: fine
                    kind: count
                    collection: orders
                  - name: broken
                    kind: count
                    collection: orders
                    filter: {status: paid
                """))
        #expect(error.exitCode == .usage)
        #expect(error.description.hasPrefix("checks file \(file), check \"broken\""))
        #expect(error.description.contains("not valid YAML"))
        #expect(error.line != nil)
    }

    @Test("an unknown kind names the file, the check and the kinds there are")
    func unknownKind() throws {
        let error = try #require(
            failure(
                """
                checks:
                  - name: revenue
                    kind: summ
                    collection: orders
                """))
        #expect(error.exitCode == .usage)
        #expect(
            error.description == "checks file \(file), check \"revenue\" (#1) (line 3): `kind: summ` is unknown; "
                + "use one of count, estimated-count, sum, min, max, distinct-count, aggregate, fingerprint")
    }

    @Test(
        "a missing field names the check and what to give",
        arguments: [
            ("kind: sum\n    collection: orders", "has no `field:`"),
            ("kind: fingerprint\n    collection: orders", "has no `fields:`"),
            ("kind: aggregate\n    collection: orders\n    field: n", "has no `pipeline:`"),
            ("kind: count", "has no `collection:`"),
            ("collection: orders", "has no `kind:`"),
        ])
    func missingField(entry: String, expected: String) throws {
        let error = try #require(failure("checks:\n  - name: broken\n    \(entry)\n"))
        #expect(error.exitCode == .usage)
        #expect(error.description.hasPrefix("checks file \(file), check \"broken\" (#1)"))
        #expect(error.description.contains(expected), "\(error)")
    }

    @Test(
        "malformed checks are refused with the reason",
        arguments: [
            ("kind: count\n    collection: orders\n    rule: same", "unknown rule \"same\""),
            ("kind: count\n    collection: orders\n    rule: tolerance", "needs a `tolerance:`"),
            ("kind: count\n    collection: orders\n    tolerance: 5", "only used with rule: tolerance"),
            ("kind: count\n    collection: orders\n    severity: fatal", "`severity: fatal` is unknown"),
            ("kind: count\n    collection: orders\n    filer: {a: 1}", "`filer` is not a setting of a count check"),
            ("kind: count\n    collection: orders\n    field: a", "`field` is not a setting of a count check"),
            ("kind: count\n    collection: orders\n    filter: {a: {$date: nope}}", "not valid extended JSON"),
            ("kind: count\n    collection: orders\n    filter: [1]", "must be a mapping"),
            ("kind: count\n    collection: orders\n    asOf: yesterday", "the only cut is `asOf: baseline`"),
            ("kind: count\n    collection: orders\n    asOfField: createdAt", "needs `asOf: baseline`"),
            ("kind: estimated-count\n    collection: orders\n    asOf: baseline", "cannot be cut at a time"),
            ("kind: sum\n    collection: orders\n    field: $total", "is not a field path"),
            ("kind: fingerprint\n    collection: orders\n    fields: [a, a.b]", "overlap"),
            ("kind: fingerprint\n    collection: orders\n    fields: []", "non-empty list"),
            ("kind: aggregate\n    collection: orders\n    field: n\n    pipeline: [{$out: copy}]", "taster only reads"),
            ("kind: aggregate\n    collection: orders\n    field: n\n    pipeline: [{$match: {}, $count: n}]", "one key naming the stage"),
            ("kind: count\n    collection: system.users", "not a valid collection name"),
            ("kind: count\n    collection: orders\n    allowMissing: yes", "`allowMissing:` must be true or false"),
            ("kind: count\n    collection: orders\n    allowMissing: \"true\"", "`allowMissing:` must be true or false"),
        ])
    func malformed(entry: String, expected: String) throws {
        let error = try #require(failure("checks:\n  - name: broken\n    \(entry)\n"))
        #expect(error.exitCode == .usage)
        #expect(error.description.hasPrefix("checks file \(file), check \"broken\" (#1)"), "\(error)")
        #expect(error.description.contains(expected), "\(error)")
    }

    @Test("names must be unique, and the file must hold a checks list")
    func structure() throws {
        let duplicate = try #require(
            failure(
                """
                checks:
                  - {name: a, kind: count, collection: orders}
                  - {name: a, kind: count, collection: other}
                """))
        #expect(duplicate.description.contains("check \"a\" (#2)"))
        #expect(duplicate.description.contains("already used by check #1"))
        #expect(failure("- {name: a, kind: count, collection: orders}")?.description.contains("must be a mapping with a `checks:` list") == true)
        #expect(failure("check:\n  - {name: a}")?.description.contains("unknown top-level key `check`") == true)
        #expect(failure("checks: {name: a}")?.description.contains("must be a list of checks") == true)
        #expect(failure("checks:\n  - {kind: count, collection: orders}")?.description.contains("check #1") == true)
    }

    @Test("allowMissing: true lets a check's collection be absent; without it the check requires the collection")
    func allowMissing() throws {
        let checks = try parse(
            """
            checks:
              - {name: later, kind: count, collection: later, allowMissing: true}
              - {name: strict, kind: count, collection: orders, allowMissing: false}
              - {name: plain, kind: count, collection: orders}
            """)
        #expect(checks.map(\.allowMissing) == [true, false, false])
        #expect(CheckDefinition.defaultCount(of: "orders", database: "pxbbq").allowMissing == false)
    }

    @Test("a file that cannot be read is an exit-2 error naming it")
    func unreadable() throws {
        #expect(throws: ChecksFileError.self) {
            try ChecksFile.load(path: "/nonexistent/checks.yaml", defaultDatabase: "pxbbq", dialect: MongoCheckDialect())
        }
    }

    @Test("the plan: a count per collection, replaced in place by a check of the same name")
    func plan() throws {
        let folder = try TemporaryDirectory()
        let path = folder.path("checks.yaml")
        try """
        checks:
          - {name: orders, kind: count, collection: orders, filter: {status: paid}, rule: no-decrease}
          - {name: revenue, kind: sum, collection: orders, field: total}
        """.write(to: path, atomically: true, encoding: .utf8)
        let settings = try Settings.load(
            from: Environment([
                "MONGODB_URI": "mongodb://127.0.0.1:1/", "TASTER_COLLECTIONS": "orders,registrations", "TASTER_CHECKS": path.path,
            ])
        ).requireMongo()
        let plan = try SnapshotPlan(settings: settings)
        #expect(plan.checks.map(\.name) == ["orders", "registrations", "revenue"])
        #expect(plan.checks[0].rule == .noDecrease)
        #expect(plan.checks[0].filter != nil)
        #expect(plan.checks[1] == CheckDefinition.defaultCount(of: "registrations", database: "pxbbq"))
    }
}
