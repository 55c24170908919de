import TasterCore
import TasterSupport

/// Checks that name rows (a fingerprint, a count with `evidence: documents`) on a table or view
/// without a primary key, met when the baseline is taken. Such a fingerprint digests the multiset
/// of the chosen columns — two rows trading their amounts leave it unchanged — and no row can be
/// named. Exit 2: the table needs a key, or the check must say `allowNoPrimaryKey: true`.
struct NoPrimaryKeyError: TasterError {
    /// `checks file …, check "print" (#1)` and the table it reads, `schema.table`.
    let refused: [(origin: String, table: String)]

    init(checks: [CheckDefinition]) {
        refused = checks.map { ($0.origin, "\($0.database).\($0.collection)") }
    }

    var exitCode: TasterExitCode { .usage }

    var description: String {
        let what = refused.count == 1 ? "a check" : "\(refused.count) checks"
        let lines = refused.map { "\($0.origin) reads \($0.table), which has no primary key" }
        return "refusing \(what) that names rows on a table without a primary key: "
            + lines.joined(separator: "; ")
            + ". A fingerprint there would digest the multiset of the chosen columns, so two rows trading values would pass, "
            + "and no lost or changed row could be named. Give the table a primary key (a surrogate key will do: ALTER TABLE … "
            + "ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY), point the check at a keyed table, or set "
            + "`allowNoPrimaryKey: true` on the check to accept a check judged by its value alone"
    }
}
