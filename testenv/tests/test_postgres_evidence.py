"""PostgreSQL rows named by primary key (issue 17, item 3's evidence), end to end through the binary
on the stack's PostgreSQL 15: a fingerprint, and a count with `evidence: documents`, keep the same
document index as MongoDB's checks, with the row's primary key as its identity.

Every test seeds a sentinel value in the data and scans every output and stored object for it:
values are never stored, printed or sent, only primary keys and column names."""
from __future__ import annotations

import json
import uuid

import pytest

import harness
import pgserver
from test_postgres import Schema, pg  # noqa: F401 (the fixture)

SENTINEL = "SENTINEL-pg-r0w-4b1d"


class Sync:
    """pre-taste, a change, post-taste on one schema, and what they stored."""

    def __init__(self, pg: Schema, checks: str, table: str = "orders"):
        self.pg = pg
        self.prefix = f"e2e/{pg.name}"
        self.env = pg.env(TASTER_CHECKS=pg.checks(checks), TASTER_PREFIX=self.prefix, TASTER_RUN_ID=pg.name,
                          TASTER_NAMESPACE=pg.name.replace("_", "-"), TASTER_COLLECTIONS=f"{pg.name}.{table}")
        self.runs: list[harness.Run] = []

    def run(self, *args: str) -> harness.Run:
        result = harness.run(list(args), self.env, tmp=self.pg.tmp)
        self.runs.append(result)
        return result

    def objects(self) -> dict[str, bytes]:
        return harness.objects_under(self.pg.stack, self.prefix)

    def stored(self, name: str) -> dict:
        return json.loads(self.objects()[f"{self.prefix}/runs/{self.pg.name}/{name}"])

    def evidence(self, check: str) -> dict:
        return next(c for c in self.stored("verdict.json")["checks"] if c["name"] == check)["evidence"]

    def changes(self, check: str) -> list[dict]:
        body = self.objects()[self.evidence(check)["list"]]
        return [json.loads(line) for line in body.decode().splitlines()]

    def assert_nothing_leaks(self) -> None:
        hits = [f"run {i} {run.args[0]}" for i, run in enumerate(self.runs) if SENTINEL in run.output]
        hits += [key for key, body in self.objects().items() if SENTINEL.encode() in body]
        assert hits == [], f"a row's value leaked: {hits}"
        secrets = harness.secrets_of(self.env) + [self.pg.stack["TESTENV_PG_PASSWORD"]]
        assert harness.leaks({f"run {i}": run.output for i, run in enumerate(self.runs)} | self.objects(), secrets) == []


def ids(documents: dict | None) -> list[str]:
    return [d["_id"] for d in (documents or {}).get("first", [])]


def test_lost_added_and_modified_rows_are_named_by_primary_key(pg):
    pg.sql(f"""
        CREATE TABLE orders (id integer PRIMARY KEY, status text NOT NULL, total numeric(12, 2), note text,
                             qty integer);
        INSERT INTO orders SELECT g, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'open' END, g * 1.25, '{SENTINEL}', NULL
        FROM generate_series(1, 60) g;
    """)
    sync = Sync(pg, """
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [status, total, qty]}
  - {name: paid, kind: count, table: SCHEMA.orders, where: "status = 'paid'", evidence: documents}
""")
    pre = sync.run("pre-taste")
    assert pre.returncode == 0, pre
    index = next(c for c in sync.stored("pre.json")["snapshot"]["checks"] if c["name"] == "print")["index"]
    assert index["documents"] == 60 and len(index["sha256"]) == 64, index
    # Keyed by DATABASE_URL's password (no TASTER_EVIDENCE_KEY here): the columns' digests are kept.
    assert len(index["keyID"]) == 16, index
    # int32 keys and three columns: 1 + 1 + 4 + 12 bytes a row, and the header.
    assert index["bytes"] <= 60 * 18 + 64, index

    pg.sql("""
        DELETE FROM orders WHERE id IN (3, 6, 9);
        INSERT INTO orders VALUES (1000, 'paid', 1.00, 'x', NULL);
        UPDATE orders SET status = 'refunded' WHERE id = 10;    -- a fingerprinted column
        UPDATE orders SET qty = 4 WHERE id = 11;                -- a NULL that becomes a value
        UPDATE orders SET total = 1.00, status = 'x' WHERE id = 13;
        UPDATE orders SET note = 'another' WHERE id = 14;       -- not fingerprinted
    """)
    post = sync.run("post-taste")
    assert post.returncode == 1, post

    evidence = sync.evidence("print")
    assert evidence["lost"]["count"] == 3
    assert ids(evidence["lost"]) == ['{"$numberInt":"3"}', '{"$numberInt":"6"}', '{"$numberInt":"9"}']
    assert ids(evidence["added"]) == ['{"$numberInt":"1000"}']
    modified = {d["_id"]: d["fields"] for d in evidence["modified"]["first"]}
    assert modified == {'{"$numberInt":"10"}': ["status"], '{"$numberInt":"11"}': ["qty"],
                        '{"$numberInt":"13"}': ["status", "total"]}, modified
    # The count names the paid rows it lost and gained (6 and 9 are paid; 3 is paid too).
    paid = sync.evidence("paid")
    assert ids(paid["lost"]) == ['{"$numberInt":"3"}', '{"$numberInt":"6"}', '{"$numberInt":"9"}']
    assert ids(paid["added"]) == ['{"$numberInt":"1000"}']
    assert "modified" not in paid or not paid["modified"]["count"]

    lines = sync.changes("print")
    assert sorted(line["change"] for line in lines) == ["added", "lost", "lost", "lost", "modified", "modified", "modified"]
    assert "FAIL: 3 lost, 1 added, 3 modified" in post.stdout, post
    assert '{"$numberInt":"3"}' in post.stdout
    page = sync.objects()[f"{sync.prefix}/runs/{pg.name}/verdict.html"].decode()
    assert "$numberInt" in page and "changes/print.ndjson" in page
    # Rows by primary key and their columns, in PostgreSQL's words.
    assert "<h2 id=\"documents\">Rows</h2>" in page and "<th>Primary key</th><th>Columns that changed</th>" in page
    assert "_id" not in page, "a PostgreSQL page speaks of primary keys"
    verdict = json.loads(sync.objects()[f"{sync.prefix}/runs/{pg.name}/verdict.json"])
    assert verdict["engine"] == "postgresql"

    # taster compare names them too, from the indexes next to the reports, without DATABASE_URL.
    bucket = pg.stack["TASTER_BUCKET"]
    folder = f"s3://{bucket}/{sync.prefix}/runs/{pg.name}"
    env = {**sync.env, "DATABASE_URL": None}
    compared = harness.run(["compare", f"{folder}/pre.json", f"{folder}/post.json"], {k: v for k, v in env.items() if v is not None},
                           tmp=pg.tmp)
    sync.runs.append(compared)
    assert compared.returncode == 1 and "FAIL: 3 lost, 1 added, 3 modified" in compared.stdout, compared
    sync.assert_nothing_leaks()


def test_a_column_type_change_modifies_every_row(pg):
    pg.sql(f"""
        CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12, 2), note text);
        INSERT INTO orders SELECT g, g, '{SENTINEL}' FROM generate_series(1, 5) g;
    """)
    sync = Sync(pg, "checks:\n  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [total, note]}\n")
    assert sync.run("pre-taste").returncode == 0
    pg.sql("ALTER TABLE orders ALTER COLUMN total TYPE double precision")   # the same numbers, another type
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    evidence = sync.evidence("print")
    assert evidence["modified"]["count"] == 5
    assert ids(evidence["modified"])[0] == '{"$numberLong":"1"}'
    assert all(d["fields"] == ["total"] for d in evidence["modified"]["first"])
    sync.assert_nothing_leaks()


def test_composite_and_non_ascii_text_keys_in_byte_order(pg):
    # The server's collation (en_US.UTF-8 or C, whichever the cluster has) would order these
    # otherwise; the index is read in byte order, the order the merge compares in.
    names = ["Zürich", "apple", "Äpfel", "zebra", "Ω-omega", "école", "B", "a b", "日本"]
    values = ", ".join(f"('{n}', {i}, '{SENTINEL}')" for i, n in enumerate(names))
    pg.sql(f"""
        CREATE TABLE cities (name text PRIMARY KEY, n integer, note text);
        INSERT INTO cities VALUES {values};
        CREATE TABLE lines (region varchar(8), id integer, item uuid, qty integer, PRIMARY KEY (region, id));
        INSERT INTO lines SELECT r, g, ('00000000-0000-4000-8000-' || lpad(g::text, 12, '0'))::uuid, g
        FROM unnest(ARRAY['eu', 'us', 'ÉU']) r, generate_series(1, 4) g;
        CREATE TABLE tokens (id uuid PRIMARY KEY, used boolean);
        INSERT INTO tokens VALUES ('ffffffff-0000-4000-8000-000000000001', false),
                                  ('00000000-0000-4000-8000-000000000002', false);
    """)
    sync = Sync(pg, """
checks:
  - {name: cities, kind: fingerprint, table: SCHEMA.cities, columns: [n]}
  - {name: lines, kind: fingerprint, table: SCHEMA.lines, columns: [item, qty]}
  - {name: tokens, kind: count, table: SCHEMA.tokens, evidence: documents}
""", table="cities")
    assert sync.run("pre-taste").returncode == 0
    pg.sql("""
        DELETE FROM cities WHERE name IN ('Äpfel', '日本');
        UPDATE cities SET n = 100 WHERE name = 'Zürich';
        DELETE FROM lines WHERE region = 'ÉU' AND id = 2;
        UPDATE lines SET qty = 0 WHERE region = 'eu' AND id = 3;
        DELETE FROM tokens WHERE used = false AND id::text LIKE 'ffff%';
    """)
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    cities = sync.evidence("cities")
    assert ids(cities["lost"]) == ['"Äpfel"', '"日本"']
    assert cities["modified"]["first"] == [{"_id": '"Zürich"', "fields": ["n"]}]
    lines = sync.evidence("lines")
    assert ids(lines["lost"]) == ['{"region":"ÉU","id":{"$numberInt":"2"}}']
    assert lines["modified"]["first"] == [{"_id": '{"region":"eu","id":{"$numberInt":"3"}}', "fields": ["qty"]}]
    tokens = sync.evidence("tokens")
    assert ids(tokens["lost"]) == ['{"$binary":{"base64":"/////wAAQACAAAAAAAAAAQ==","subType":"04"}}']
    sync.assert_nothing_leaks()


def test_as_of_cuts_the_rows_it_names(pg):
    pg.sql(f"""
        CREATE TABLE orders (id integer PRIMARY KEY, status text, note text, created_at timestamptz NOT NULL);
        INSERT INTO orders SELECT g, 'paid', '{SENTINEL}', now() - interval '1 hour' FROM generate_series(1, 10) g;
    """)
    sync = Sync(pg, """
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [status], asOf: baseline, asOfColumn: created_at}
""")
    assert sync.run("pre-taste").returncode == 0
    # Rows made after the baseline are outside the cut: not "added". One made before is lost.
    pg.sql("INSERT INTO orders SELECT g, 'paid', 'x', now() + interval '1 hour' FROM generate_series(11, 15) g;"
           "DELETE FROM orders WHERE id = 4")
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    evidence = sync.evidence("print")
    assert ids(evidence["lost"]) == ['{"$numberInt":"4"}']
    assert not (evidence.get("added") or {}).get("count")
    sync.assert_nothing_leaks()


def test_a_table_or_view_without_a_primary_key_is_refused_before_anything_is_measured(pg):
    pg.sql(f"""
        CREATE TABLE log (status text, amount integer, note text);
        INSERT INTO log VALUES ('ok', 10, '{SENTINEL}'), ('ok', 20, '{SENTINEL}');
        CREATE TABLE orders (id integer PRIMARY KEY, status text);
        CREATE VIEW recent AS SELECT id, status FROM orders;
    """)
    sync = Sync(pg, """
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.log, columns: [status, amount]}
  - {name: rows, kind: count, table: SCHEMA.log, evidence: documents}
  - {name: plain, kind: count, table: SCHEMA.log}
  - {name: view, kind: fingerprint, table: SCHEMA.recent, columns: [status]}
""", table="log")
    pre = sync.run("pre-taste")
    assert pre.returncode == 2, pre
    for name in ('"print"', '"rows"', '"view"'):
        assert name in pre.stderr, pre
    assert f"{pg.name}.log, which has no primary key" in pre.stderr and f"{pg.name}.recent" in pre.stderr, pre
    assert "allowNoPrimaryKey: true" in pre.stderr and '"plain"' not in pre.stderr, pre
    assert sync.objects() == {}, "a refused baseline stored something"
    check = sync.run("check")
    assert check.returncode != 0 and "FAIL" in check.stdout and "allowNoPrimaryKey: true" in check.stdout, check
    sync.assert_nothing_leaks()


def test_allow_no_primary_key_runs_and_says_rows_cannot_be_named(pg):
    pg.sql(f"CREATE TABLE log (status text, amount integer, note text);"
           f"INSERT INTO log SELECT 'ok', g, '{SENTINEL}' FROM generate_series(1, 4) g")
    sync = Sync(pg, """
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.log, columns: [status, amount], allowNoPrimaryKey: true}
  - {name: rows, kind: count, table: SCHEMA.log, evidence: documents, allowNoPrimaryKey: true}
""", table="log")
    check = sync.run("check")
    assert check.returncode == 0 and "WARN" in check.stdout and "has no primary key (allowNoPrimaryKey: true)" in check.stdout, check
    pre = sync.run("pre-taste")
    assert pre.returncode == 0, pre
    assert "rows cannot be named" in pre.stderr, pre
    checks = {c["name"]: c for c in sync.stored("pre.json")["snapshot"]["checks"]}
    for name in ("print", "rows"):
        assert "has no primary key (allowNoPrimaryKey: true), so its rows cannot be named" in checks[name]["index"]["skipped"]
        assert checks[name]["parameters"]["allowNoPrimaryKey"] == "true"
    pg.sql("UPDATE log SET status = 'changed' WHERE ctid = (SELECT min(ctid) FROM log)")
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    assert "print: rows cannot be named" in post.stdout and "allowNoPrimaryKey: true" in post.stdout, post
    assert "allowNoPrimaryKey" in sync.evidence("print")["unavailable"]
    assert "allowNoPrimaryKey" in sync.evidence("rows")["unavailable"], "a passing check's verdict says it too"
    sync.assert_nothing_leaks()


def test_role_settings_do_not_change_what_taster_reads(pg, stack):
    """A role whose settings round floats (extra_float_digits = 0), move the clock (TimeZone),
    read backslashes as escapes (standard_conforming_strings = off) and print other styles of
    dates, intervals and bytea: its post-taste reads what the plain role's pre-taste read, so a
    float8 changed in its 17th digit is the only change seen."""
    role, password = f"{pg.name}_odd", "0dd-r0le:" + uuid.uuid4().hex[:12]
    pg.sql(f"""
        CREATE ROLE {role} LOGIN PASSWORD :'pw'; GRANT pg_read_all_data TO {role};
        ALTER ROLE {role} SET extra_float_digits = 0; ALTER ROLE {role} SET TimeZone = 'Pacific/Chatham';
        ALTER ROLE {role} SET standard_conforming_strings = off; ALTER ROLE {role} SET DateStyle = 'SQL, DMY';
        ALTER ROLE {role} SET IntervalStyle = 'sql_standard'; ALTER ROLE {role} SET bytea_output = 'escape';
        CREATE TABLE m (id integer PRIMARY KEY, ratio double precision, at timestamptz DEFAULT '2026-03-01 12:00+00',
                        day date, span interval, blob bytea, note text);
        INSERT INTO m VALUES (1, 0.3, '2026-01-02 03:04:05.678+00', '2026-01-02', '1 day 02:03:04', '\\x00ff', 'a\\b'),
                             (2, 1.5, '2026-06-30 23:59:59+00', '2026-06-30', '-3 mons', NULL, '{SENTINEL}');
    """, pw=password)
    try:
        odd = pgserver.url(role, password, int(stack["TESTENV_PG_PORT"]), "pxbbq")
        # The role's settings are in force for it: psql sees 0.3 where the float is 0.30000000000000004.
        assert pgserver.psql(stack["TESTENV_PG_ADMIN_URL"], "SELECT 0.30000000000000004::float8",
                             database_url=odd).stdout.strip() == "0.3"
        sync = Sync(pg, r"""
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.m, columns: [ratio, at, day, span, blob, note]}
  - {name: low, kind: min, table: SCHEMA.m, column: ratio}
  - {name: backslash, kind: count, table: SCHEMA.m, where: "note = 'a\\b'"}
""", table="m")
        sync.env["TASTER_EVIDENCE_KEY"] = "c2V0dGluZ3MtdGVzdC1ldmlkZW5jZS1rZXktMzJieXRlcyE="
        pre = sync.run("pre-taste")
        assert pre.returncode == 0, pre
        before = {c["name"]: c for c in sync.stored("pre.json")["snapshot"]["checks"]}
        assert before["backslash"]["value"] == {"int64": "1"}, before["backslash"]
        pg.sql("UPDATE m SET ratio = 0.30000000000000004 WHERE id = 1")
        sync.env["DATABASE_URL"] = odd
        post = sync.run("post-taste")
        assert post.returncode == 1, post
        verdict = sync.stored("verdict.json")
        results = {c["name"]: c["result"] for c in verdict["checks"]}
        assert results == {"print": "fail", "low": "fail", "backslash": "pass", f"{pg.name}.m": "pass"}, results
        assert sync.evidence("print")["modified"]["first"] == [{"_id": '{"$numberInt":"1"}', "fields": ["ratio"]}]
        after = {c["name"]: c for c in sync.stored("post.json")["snapshot"]["checks"]}
        assert after["backslash"]["value"] == {"int64": "1"}
        # The inventory (column defaults, view text) reads the same under the role's settings.
        assert "STRUCTURE: no collection, view or index changed" in post.stdout, post
        sync.assert_nothing_leaks()
    finally:
        pg.sql(f"DROP OWNED BY {role}; DROP ROLE {role}")
