import Testing

@testable import TasterCore
@testable import TasterHTTP
@testable import TasterKubernetes
@testable import TasterMongo
@testable import TasterS3
@testable import TasterSupport

@Suite("YAML")
struct YAMLParserTests {
    @Test("mappings keep their order; plain scalars are typed by the core schema, quoted ones are strings")
    func tree() throws {
        let node = try #require(
            try YAMLParser.compose(
                """
                checks:
                  - name: paid
                    filter: {status: paid, n: 5, f: 5.0, q: "5", no: no, t: true, nothing: ~}
                    pipeline:
                      - {$match: {a: 1}}
                      - {$group: {_id: null, total: {$sum: "$x"}}}
                """))
        let check = try #require(node["checks"].flatMap { if case .sequence(let items, _) = $0 { items.first } else { nil } })
        guard case .mapping(let filter)? = check["filter"] else { Issue.record("filter is not a mapping"); return }
        #expect(filter.map { $0.key.string } == ["status", "n", "f", "q", "no", "t", "nothing"])
        let resolved = filter.map { pair -> YAMLCoreSchema.Value in
            guard case .scalar(let scalar) = pair.value else { return .null }
            return YAMLCoreSchema.resolve(scalar)
        }
        #expect(resolved == [.string("paid"), .int("5"), .float(5.0), .string("5"), .string("no"), .bool(true), .null])
        #expect(check["pipeline"]?.line == 5)
    }

    @Test("JSON is YAML")
    func json() throws {
        let value = try YAMLValue.load(#"{"a": [1, 2.5, "x", true, null], "b": {"c": "d"}}"#) as? [String: Any]
        #expect((value?["a"] as? [Any])?.count == 5)
        #expect((value?["b"] as? [String: Any])?["c"] as? String == "d")
    }

    @Test(
        "errors name the line",
        arguments: [
            ("a: 1\nb: [1, 2\nc: 3", 3, "flow sequence"),
            ("a: 1\na: 2", 2, "the key `a` appears twice"),
            ("a: 1\n---\nb: 2", 2, "more than one YAML document"),
            ("a:\n\t- b", 2, "tab"),
        ])
    func errors(text: String, line: Int, message: String) {
        do {
            _ = try YAMLParser.compose(text)
            Issue.record("expected an error")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.lowercased().contains(message.lowercased()), "\(error)")
        }
    }

    @Test("an empty text has no document; aliases are expanded")
    func emptyAndAliases() throws {
        #expect(try YAMLParser.compose("") == nil)
        #expect(try YAMLParser.compose("# only a comment\n") == nil)
        let node = try YAMLParser.compose("base: &b {x: 1}\nother: *b")
        #expect(node?["other"]?["x"]?.string == "1")
    }
}
