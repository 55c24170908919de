import Foundation
import Testing

@testable import TasterCore
@testable import TasterMongo
@testable import TasterSupport

/// The structure rules as pure logic: every aspect, including what SecantusDB cannot show end to
/// end (a `timeseries` type, a capped size changed in place, a collection's own TTL, collation),
/// the `structure:` section and the reading of version 1 reports.
@Suite("Structure")
struct StructureTests {
    func collection(
        _ name: String, _ type: CollectionInventory.Kind = .collection, options: [String: String] = [:], count: Int64? = 10,
        indexes: [IndexSpec]? = [IndexSpec(name: "_id_", spec: ["key": #"{ "_id" : 1 }"#, "v": "2"])], problems: [String] = []
    ) -> CollectionInventory {
        CollectionInventory(name: name, type: type, options: options, estimatedCount: count, indexes: indexes, problems: problems)
    }

    func inventory(_ collections: [CollectionInventory]?, rules: StructurePolicy? = nil) -> DatabaseInventory {
        DatabaseInventory(database: "pxbbq", collections: collections, durationSeconds: 0.01, rules: rules)
    }

    func rows(_ pre: [CollectionInventory]?, _ post: [CollectionInventory]?, rules: StructurePolicy? = nil) -> [String: StructureComparison.Result] {
        let rows = StructureComparator.compare(pre: inventory(pre), post: inventory(post, rules: rules))
        return Dictionary(rows.map { ($0.description, $0.result) }, uniquingKeysWith: { first, _ in first })
    }

    static let email = IndexSpec(name: "email_1", spec: ["key": #"{ "email" : 1 }"#, "unique": "true", "v": "2"])
    static let ttl = IndexSpec(name: "createdAt_1", spec: ["key": #"{ "createdAt" : 1 }"#, "expireAfterSeconds": "3600", "v": "2"])

    @Test("the same inventory gives no row")
    func unchanged() {
        let same = [collection("orders", indexes: [Self.email])]
        #expect(StructureComparator.compare(pre: inventory(same), post: inventory(same)).isEmpty)
    }

    @Test("collections: dropped fails, created warns, emptied fails, type changed fails")
    func collections() {
        #expect(rows([collection("orders"), collection("audit", count: 3)], [collection("orders")]) == ["collection audit dropped (~3 documents)": .fail])
        #expect(rows([collection("orders")], [collection("orders"), collection("audit", count: 1)]) == ["collection audit created (~1 document)": .warn])
        #expect(
            rows([collection("orders", count: 120)], [collection("orders", count: 0)]) == ["collection orders emptied (~120 → 0 documents, estimated)": .fail])
        #expect(rows([collection("orders", count: 0)], [collection("orders", count: 0)]).isEmpty)
        #expect(
            rows([collection("orders")], [collection("orders", .view, count: nil, indexes: [])]) == [
                "view orders was a collection, is now a view": .fail
            ])
        #expect(rows([collection("paid", .view, count: nil, indexes: [])], []) == ["view paid dropped": .fail])
    }

    @Test("indexes: dropped, key/unique/partial/sparse/collation/TTL changed fail; added passes; other options warn")
    func indexes() {
        let base = [collection("users", indexes: [Self.email, Self.ttl])]
        #expect(rows(base, [collection("users", indexes: [Self.ttl])]) == ["index users.email_1 dropped (unique)": .fail])
        #expect(rows(base, [collection("users", indexes: [Self.email])]) == ["index users.createdAt_1 dropped (TTL 3600 s)": .fail])
        var shorter = Self.ttl
        shorter.spec["expireAfterSeconds"] = "60"
        #expect(rows(base, [collection("users", indexes: [Self.email, shorter])]) == ["index users.createdAt_1 expireAfterSeconds changed (3600 → 60)": .fail])
        for field in ["key", "unique", "partialFilterExpression", "sparse", "collation"] {
            var changed = Self.email
            changed.spec[field] = #"{ "x" : 1 }"#
            let result = rows(base, [collection("users", indexes: [changed, Self.ttl])])
            #expect(result.values.map { $0 } == [.fail], "\(field): \(result)")
        }
        var hidden = Self.email
        hidden.spec["hidden"] = "true"
        #expect(rows(base, [collection("users", indexes: [hidden, Self.ttl])]) == ["index users.email_1 hidden set (none → true)": .warn])
        var reversion = Self.email
        reversion.spec["v"] = "1"
        #expect(rows(base, [collection("users", indexes: [reversion, Self.ttl])]).isEmpty, "the index version is bookkeeping")
        let added = IndexSpec(name: "n_1", spec: ["key": #"{ "n" : 1 }"#])
        #expect(rows(base, [collection("users", indexes: [Self.email, Self.ttl, added])]) == ["index users.n_1 added": .pass])
    }

    @Test("options: validation and views warn; capped, time series and the collection's TTL fail; others warn")
    func options() {
        func change(_ option: String, _ before: String?, _ after: String?, type: CollectionInventory.Kind = .collection) -> [String: StructureComparison.Result]
        {
            rows(
                [collection("c", type, options: before.map { [option: $0] } ?? [:])],
                [collection("c", type, options: after.map { [option: $0] } ?? [:])])
        }
        #expect(change("validator", nil, #"{ "n" : { "$type" : "int" } }"#) == [#"collection c validator set (none → { "n" : { "$type" : "int" } })"#: .warn])
        #expect(change("validationLevel", #""strict""#, #""moderate""#) == [#"collection c validationLevel changed ("strict" → "moderate")"#: .warn])
        #expect(change("validationAction", #""error""#, nil) == [#"collection c validationAction removed ("error" → none)"#: .warn])
        #expect(change("pipeline", "[]", #"[ { "$match" : {} } ]"#, type: .view).values.map { $0 } == [.warn])
        #expect(change("viewOn", #""a""#, #""b""#, type: .view).values.map { $0 } == [.warn])
        #expect(change("size", "4096", "8192") == ["collection c size changed (4096 → 8192)": .fail])
        #expect(change("capped", "true", nil) == ["collection c capped removed (true → none)": .fail])
        #expect(change("max", "10", "20").values.map { $0 } == [.fail])
        #expect(
            change("timeseries", #"{ "timeField" : "at", "granularity" : "seconds" }"#, #"{ "timeField" : "at", "granularity" : "hours" }"#, type: .timeseries)
                .values.map { $0 } == [.fail])
        #expect(change("expireAfterSeconds", "86400", "60", type: .timeseries) == ["time-series collection c expireAfterSeconds changed (86400 → 60)": .fail])
        #expect(change("collation", #"{ "locale" : "en" }"#, #"{ "locale" : "fr" }"#).values.map { $0 } == [.warn])
        #expect(change("clusteredIndex", nil, #"{ "key" : { "_id" : 1 } }"#).values.map { $0 } == [.warn])
    }

    func table(_ columns: [ColumnSpec], constraints: [ConstraintSpec] = [], count: Int64? = 5) -> CollectionInventory {
        CollectionInventory(
            name: "public.orders", type: .table, estimatedCount: count, indexes: [], columns: columns, constraints: constraints)
    }

    @Test("PostgreSQL tables: columns dropped or retyped fail, added pass, nullability and default warn; constraints")
    func tables() {
        let id = ColumnSpec(name: "id", type: "bigint", nullable: false)
        let total = ColumnSpec(name: "total", type: "numeric(12,2)", nullable: true)
        let unique = ConstraintSpec(name: "orders_email_key", type: .unique, definition: "UNIQUE (email)")
        let base = [table([id, total], constraints: [unique])]
        #expect(rows(base, [table([id], constraints: [unique])]) == ["column public.orders.total dropped (numeric(12,2))": .fail])
        #expect(
            rows(base, [table([id, ColumnSpec(name: "total", type: "numeric(14,2)", nullable: true)], constraints: [unique])]) == [
                "column public.orders.total type changed (numeric(12,2) → numeric(14,2))": .fail
            ])
        #expect(
            rows(base, [table([id, ColumnSpec(name: "total", type: "numeric(12,2)", nullable: false, default: "0")], constraints: [unique])])
                == ["column public.orders.total NOT NULL set, default set (none → 0)": .warn])
        #expect(
            rows(base, [table([id, total, ColumnSpec(name: "note", type: "text", nullable: true)], constraints: [unique])]) == [
                "column public.orders.note added (text)": .pass
            ])
        #expect(rows(base, [table([id, total])]) == ["constraint public.orders.orders_email_key dropped (unique)": .fail])
        let wider = ConstraintSpec(name: "orders_email_key", type: .unique, definition: "UNIQUE (email, region)")
        #expect(
            rows(base, [table([id, total], constraints: [wider])]) == [
                "constraint public.orders.orders_email_key changed (UNIQUE (email) → UNIQUE (email, region))": .fail
            ])
        #expect(rows(base, [table([id, total], constraints: [unique], count: 0)]) == ["table public.orders emptied (~5 → 0 rows, estimated)": .fail])
        // MongoDB's collections have neither: no row.
        #expect(rows([collection("orders")], [collection("orders")]).isEmpty)
    }

    @Test("unknown, never pass: no inventory, collections not listed, indexes or counts refused")
    func unknown() {
        let orders = [collection("orders")]
        let noBaseline = StructureComparator.compare(pre: nil, post: inventory(orders))
        #expect(noBaseline.map(\.result) == [.unknown])
        #expect(noBaseline[0].description.contains("the baseline has no inventory"))
        #expect(StructureComparator.compare(pre: inventory(orders), post: nil).map(\.result) == [.unknown])
        #expect(StructureComparator.compare(pre: nil, post: nil).isEmpty)
        #expect(rows(nil, orders).values.map { $0 } == [.unknown])
        #expect(rows(orders, nil).values.map { $0 } == [.unknown])
        let refused = collection("orders", indexes: nil, problems: ["listIndexes on pxbbq.orders refused: not authorized"])
        let result = rows([collection("orders", indexes: [Self.email])], [refused])
        #expect(
            result == ["collection orders indexes unknown (the server refused after the sync: listIndexes on pxbbq.orders refused: not authorized)": .unknown])
        let uncounted = collection("orders", count: nil, problems: ["the estimated count of pxbbq.orders refused: no"])
        #expect(rows([collection("orders", count: 5)], [uncounted]).values.map { $0 } == [.unknown])
    }

    @Test("the policy: severity overrides and ignore patterns")
    func policy() {
        let rules = StructurePolicy(
            severity: [.collectionCreated: .fail, .indexDropped: .warn], ignoreCollections: ["migrations", "tmp_*"],
            ignoreIndexes: ["*.scratch_1"])
        let pre = [
            collection("orders", indexes: [Self.email, IndexSpec(name: "scratch_1", spec: ["key": "{}"])]), collection("migrations"), collection("tmp_a"),
        ]
        let post = [collection("orders", indexes: []), collection("audit")]
        #expect(
            rows(pre, post, rules: rules) == [
                "index orders.email_1 dropped (unique)": .warn, "collection audit created (~10 documents)": .fail,
            ])
        #expect(StructurePolicy.matches(pattern: "tmp_*", "tmp_"))
        #expect(StructurePolicy.matches(pattern: "*.scratch_1", "orders.scratch_1"))
        #expect(StructurePolicy.matches(pattern: "a*b*c", "a-b-b-c"))
        #expect(!StructurePolicy.matches(pattern: "a*b*c", "a-c-b"))
        #expect(!StructurePolicy.matches(pattern: "ab*ba", "aba"))
        #expect(!StructurePolicy.matches(pattern: "migrations", "migrations2"))
    }

    @Test("the checks file's structure: section, and what it refuses")
    func checksFile() throws {
        let text = """
            structure:
              severity:
                collectionCreated: pass
                validationChanged: fail
              ignore:
                collections: [migrations, "tmp_*"]
                indexes: ["orders.tmp_*"]
            """
        let policy = try ChecksFile.parseStructure(text, file: "c.yaml")
        #expect(policy.severity == [.collectionCreated: .pass, .validationChanged: .fail])
        #expect(policy.ignoreCollections == ["migrations", "tmp_*"] && policy.ignoreIndexes == ["orders.tmp_*"])
        #expect(try ChecksFile.parse(text, file: "c.yaml", defaultDatabase: "pxbbq", dialect: MongoCheckDialect()).isEmpty)
        let refusals: [(String, String)] = [
            ("structure:\n  severity:\n    collectionGone: warn\n", "unknown aspect `collectionGone`"),
            ("structure:\n  severity:\n    collectionCreated: ignore\n", "must be one of fail, warn, pass"),
            ("structure:\n  ignore:\n    indexes: [tmp_1]\n", "names no collection"),
            ("structure:\n  ignore:\n    views: [a]\n", "unknown key `views`"),
            ("structure:\n  fail: true\n", "unknown key `fail`"),
            ("structure: [a]\n", "must be a mapping"),
            ("structures: {}\n", "unknown top-level key `structures`"),
        ]
        for (text, expected) in refusals {
            #expect(throws: ChecksFileError.self) { try ChecksFile.parseStructure(text, file: "c.yaml") }
            do {
                _ = try ChecksFile.parseStructure(text, file: "c.yaml")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
        #expect(try ChecksFile.parseStructure("checks: []\n", file: "c.yaml") == StructurePolicy())
    }

    @Test("the verdict: a failed row fails it, unknown and warn do not; the summary and table name the rows")
    func verdict() throws {
        let snapshot = Snapshot(database: "pxbbq", serverVersion: nil, takenAt: "2026-11-21T10:00:00Z", clock: "server", durationSeconds: 0, checks: [])
        func report(_ phase: TasteReport.Phase, _ inventory: DatabaseInventory?) -> TasteReport {
            TasteReport(
                phase: phase, runID: "r1", app: "pxbbq", namespace: nil, host: "h", startedAt: "t", finishedAt: "t",
                settings: SettingsSummary(
                    mongodb: nil, database: "pxbbq", collections: ["*"], checksFile: nil, workloads: [], bucket: nil, prefix: nil,
                    endpoint: nil, deadline: "10m", readyTimeout: "5m", mongoWait: "2m"),
                workloads: [], snapshot: snapshot, inventory: inventory)
        }
        let before = inventory([collection("users", indexes: [Self.email])])
        let after = inventory([collection("users", indexes: [])])
        let failed = Verdict.make(pre: report(.pre, before), post: report(.post, after), preKey: nil, postKey: nil, reportOnly: false, createdAt: "t")
        #expect(failed.result == .fail)
        #expect(failed.summary.contains("structure: 1 failed: index users.email_1 dropped (unique)"))
        #expect(failed.table.contains("STRUCTURE") && failed.table.contains("index users.email_1 dropped (unique)"))
        let page = VerdictPage(verdict: failed).render()
        #expect(page.contains("<h2 id=\"structure-title\">Structure</h2>") && page.contains("&quot;email&quot; : 1"))
        let payload = String(decoding: try NotificationPayload.body(for: failed, format: .json, reportURIs: [:]), as: UTF8.self)
        #expect(payload.contains("\"change\" : \"index users.email_1 dropped (unique)\""))
        let slack = String(decoding: try NotificationPayload.body(for: failed, format: .slack, reportURIs: [:]), as: UTF8.self)
        #expect(slack.contains("index users.email_1 dropped (unique) (fail)"))

        let old = Verdict.make(pre: report(.pre, nil), post: report(.post, after), preKey: nil, postKey: nil, reportOnly: false, createdAt: "t")
        #expect(old.result == .pass && old.structure?.map(\.result) == [.unknown])
        #expect(old.summary.contains("structure: 1 unknown"))
        let none = Verdict.make(pre: report(.pre, nil), post: report(.post, nil), preKey: nil, postKey: nil, reportOnly: false, createdAt: "t")
        #expect(none.structure == nil && !none.table.contains("STRUCTURE"))
        // A compare with a checks file's rules replaces the recorded ones.
        let tuned = Verdict.make(
            pre: report(.pre, before), post: report(.post, after), preKey: nil, postKey: nil, reportOnly: false, createdAt: "t",
            structurePolicy: StructurePolicy(severity: [.indexDropped: .warn]))
        #expect(tuned.result == .pass && tuned.structure?.map(\.result) == [.warn])
    }

    @Test("reports: the inventory round-trips; a version 1 report without one is still read")
    func reports() throws {
        let policy = StructurePolicy(severity: [.collectionCreated: .pass], ignoreCollections: ["migrations"])
        let original = inventory([collection("users", indexes: [Self.email])], rules: policy)
        let data = try ReportCodec.encode(original)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"collectionCreated\" : \"pass\"") && text.contains("\"collections\" : [\n        \"migrations\""))
        #expect(try JSONDecoder().decode(DatabaseInventory.self, from: data) == original)
        let version1 = #"{"schemaVersion": 1}"#
        #expect(throws: Never.self) {
            _ = try ReportCodec.decode(SchemaOnly.self, from: Data(version1.utf8), supported: TasteReport.readableSchemaVersions, source: "pre.json")
        }
    }

    struct SchemaOnly: Decodable { var schemaVersion: Int }

    @Test("TASTER_COLLECTIONS=*: a count per collection found, the checks file's names and ignored collections aside")
    func discovering() throws {
        var plan = SnapshotPlan(
            database: "pxbbq",
            checks: [CheckDefinition(name: "orders", kind: .count, database: "pxbbq", collection: "orders", rule: .noDecrease, origin: "file")],
            discoversCollections: true, structure: StructurePolicy(ignoreCollections: ["migrations"]))
        plan = plan.discovering(["audit", "migrations", "orders"])
        #expect(plan.checks.map(\.name) == ["audit", "orders"])
        #expect(plan.checks[0].discovered && plan.checks[0].origin == "TASTER_COLLECTIONS=*")
        #expect(plan.checks[1].rule == .noDecrease && !plan.checks[1].discovered)
        #expect(!plan.discoversCollections)
    }
}
