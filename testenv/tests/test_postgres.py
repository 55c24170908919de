"""PostgreSQL end to end: the real binary against the stack's PostgreSQL 15 (SCRAM, TLS with the
stack's CA, a read-only role with an awkward password). Every test works in a schema of its own."""
from __future__ import annotations

import json
import subprocess
import time
import urllib.parse
import uuid
from pathlib import Path

import pytest

import harness
import pgserver
import tlsgen

INT64_MAX = 9223372036854775807


@pytest.fixture
def pg(stack, unique, tmp_path):
    """A schema of its own (named like the test), dropped afterwards."""
    schema = unique.replace("-", "_")
    admin = stack["TESTENV_PG_ADMIN_URL"]
    pgserver.psql(admin, f"CREATE SCHEMA {schema}")
    yield Schema(stack, schema, tmp_path)
    pgserver.psql(admin, f"DROP SCHEMA {schema} CASCADE", check=False)


class Schema:
    def __init__(self, stack, name, tmp):
        self.stack, self.name, self.tmp = stack, name, tmp

    def sql(self, text: str, **variables) -> str:
        return pgserver.psql(self.stack["TESTENV_PG_ADMIN_URL"], f"SET search_path = {self.name};\n" + text,
                             variables=variables).stdout.strip()

    def checks(self, text: str) -> str:
        path = self.tmp / f"checks-{time.monotonic_ns()}.yaml"
        path.write_text(text.replace("SCHEMA", self.name))
        return str(path)

    def env(self, **overrides) -> dict[str, str]:
        """The stack's settings with PostgreSQL instead of MongoDB."""
        settings = {"MONGODB_URI": None, "TASTER_DATABASE": None, "DATABASE_URL": self.stack["TESTENV_PG_URL"],
                    "TASTER_COLLECTIONS": f"{self.name}.orders"}
        return harness.base_env(self.stack, **{**settings, **overrides})

    def snapshot(self, checks: str | None = None, *extra: str, **overrides) -> harness.Run:
        env = self.env(**({"TASTER_CHECKS": checks} if checks else {}), **overrides)
        return harness.run(["snapshot", "--output", "json", *extra], env, tmp=self.tmp)


def values(run: harness.Run) -> dict[str, dict]:
    assert run.returncode == 0, run
    return {check["name"]: check for check in json.loads(run.stdout)["checks"]}


def orders(pg: Schema, rows: int = 30) -> None:
    pg.sql(f"""
        CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric(12, 2),
                             note text, created_at timestamptz NOT NULL DEFAULT now());
        INSERT INTO orders SELECT g, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'open' END, g * 1.25, 'n' || g,
                                  timestamptz '2026-01-01 00:00:00+00' + g * interval '1 minute'
        FROM generate_series(1, {rows}) g;
    """)


def test_every_kind_with_exact_values(pg):
    pg.sql("""
        CREATE TABLE orders (id bigint PRIMARY KEY, big bigint, amount numeric(40, 10), ratio double precision,
                             status text, created_at timestamp);
        INSERT INTO orders VALUES
          (1, 9223372036854775806, 12345678901234567890.0123456789, 0.5, 'paid', '2026-01-01 10:00:00'),
          (2, 1, 0.0000000001, 0.25, 'open', '2026-01-01 11:00:00'),
          (3, NULL, -1, NULL, 'paid', '2026-01-02 09:00:00');
        CREATE TABLE over (id int PRIMARY KEY, big bigint);
        INSERT INTO over VALUES (1, 9223372036854775807), (2, 9223372036854775807);
        ANALYZE orders;
    """)
    checks = pg.checks("""
checks:
  - {name: paid, kind: count, table: SCHEMA.orders, where: "status = 'paid'"}
  - {name: estimate, kind: estimated-count, table: SCHEMA.orders}
  - {name: big-sum, kind: sum, table: SCHEMA.orders, column: big}
  - {name: big-max, kind: max, table: SCHEMA.orders, column: big}
  - {name: big-min, kind: min, table: SCHEMA.orders, column: big}
  - {name: amount-sum, kind: sum, table: SCHEMA.orders, column: amount}
  - {name: amount-min, kind: min, table: SCHEMA.orders, column: amount}
  - {name: ratio-sum, kind: sum, table: SCHEMA.orders, column: ratio}
  - {name: statuses, kind: distinct-count, table: SCHEMA.orders, column: status}
  - {name: newest, kind: max, table: SCHEMA.orders, column: created_at}
  - {name: beyond-int64, kind: sum, table: SCHEMA.over, column: big}
  - {name: exact-query, kind: query, query: "SELECT sum(amount) FROM SCHEMA.orders WHERE status = 'paid'"}
  - {name: counted-query, kind: query, query: "WITH p AS (SELECT * FROM SCHEMA.orders) SELECT count(*) FROM p;"}
""")
    found = values(pg.snapshot(checks))
    value = {name: check.get("value") for name, check in found.items()}
    assert value[f"{pg.name}.orders"] == {"int64": "3"}
    assert value["paid"] == {"int64": "2"}
    assert found["paid"]["documents"] == 2
    assert value["estimate"] == {"int64": "3"}
    assert value["big-sum"] == {"int64": str(INT64_MAX)}
    assert value["big-max"] == {"int64": "9223372036854775806"}
    assert value["big-min"] == {"int64": "1"}
    assert value["amount-sum"] == {"decimal": "12345678901234567889.0123456790"}
    assert value["amount-min"] == {"decimal": "-1.0000000000"}
    assert value["ratio-sum"] == {"double": 0.75}
    assert value["statuses"] == {"int64": "2"}
    assert value["newest"] == {"text": "2026-01-02 09:00:00"}
    # Two int64 maxima: PostgreSQL sums bigint as numeric, and taster keeps it exact.
    assert value["beyond-int64"] == {"decimal": str(2 * INT64_MAX)}
    assert value["exact-query"] == {"decimal": "12345678901234567889.0123456789"}
    assert value["counted-query"] == {"int64": "3"}


def test_as_of_cuts_on_the_named_column(pg):
    orders(pg, rows=10)
    checks = pg.checks("""
checks:
  - {name: cut, kind: count, table: SCHEMA.orders, asOf: baseline, asOfColumn: created_at}
""")
    # Rows 1..10 were made at 00:01 .. 00:10; a cut at 00:05 counts 5 of them.
    found = values(pg.snapshot(checks, "--as-of", "2026-01-01T00:05:00.000Z"))
    assert found["cut"]["value"] == {"int64": "5"}
    assert found["cut"]["parameters"]["asOf"] == "created_at <= 2026-01-01T00:05:00.000Z"


def test_fingerprint_is_order_independent_and_type_aware(pg):
    orders(pg, rows=200)
    checks = pg.checks("""
checks:
  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [status, total]}
""")

    def digest() -> str:
        found = values(pg.snapshot(checks))["print"]
        assert found["documents"] == 200
        return found["value"]["digest"]

    first = digest()
    pg.sql("UPDATE orders SET note = 'other' WHERE id < 50")       # a column not fingerprinted
    pg.sql("CLUSTER orders USING orders_pkey")                      # rows rewritten in another order
    assert digest() == first
    pg.sql("UPDATE orders SET total = total + 0.01 WHERE id = 7")
    changed = digest()
    assert changed != first
    pg.sql("UPDATE orders SET total = total - 0.01 WHERE id = 7")
    assert digest() == first
    pg.sql("ALTER TABLE orders ALTER COLUMN total TYPE double precision")   # same numbers, another type
    assert digest() != first


def test_fingerprint_of_a_table_without_a_primary_key(pg):
    # With allowNoPrimaryKey (a baseline refuses it otherwise: test_postgres_evidence.py), measured over
    # the multiset of its columns, duplicates included.
    pg.sql("CREATE TABLE orders (status text); INSERT INTO orders VALUES ('paid'), ('paid')")
    checks = pg.checks(
        "checks:\n  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [status], allowNoPrimaryKey: true}\n")
    first = values(pg.snapshot(checks))["print"]
    assert first["documents"] == 2
    pg.sql("DELETE FROM orders WHERE ctid = (SELECT min(ctid) FROM orders)")
    assert values(pg.snapshot(checks))["print"]["value"] != first["value"]


def test_a_sync_that_loses_paid_orders_fails_and_nothing_leaks(pg, stack):
    orders(pg, rows=60)
    sentinel = "SENTINEL-" + pg.name
    pg.sql(f"UPDATE orders SET note = '{sentinel}' WHERE id = 5")
    checks = pg.checks("""
checks:
  - {name: paid-orders, kind: count, table: SCHEMA.orders, where: "status = 'paid'"}
  - {name: print, kind: fingerprint, table: SCHEMA.orders, columns: [status, total, note]}
  - {name: revenue, kind: sum, table: SCHEMA.orders, column: total}
""")
    prefix = f"e2e/{pg.name}"
    env = pg.env(TASTER_CHECKS=checks, TASTER_PREFIX=prefix, TASTER_RUN_ID=pg.name, TASTER_NAMESPACE=pg.name.replace("_", "-"))
    pre = harness.run(["pre-taste"], env, tmp=pg.tmp)
    assert pre.returncode == 0, pre
    pg.sql("DELETE FROM orders WHERE id IN (3, 6, 9)")
    post = harness.run(["post-taste"], env, tmp=pg.tmp)
    assert post.returncode == 1, post
    assert "paid-orders" in post.output and "20 → 17" in post.output
    stored = harness.objects_under(stack, prefix)
    assert any(key.endswith("post.json") for key in stored)
    report = json.loads(stored[f"{prefix}/runs/{pg.name}/pre.json"])
    assert "postgres" in json.dumps(report["settings"]) and "taster@" in json.dumps(report["settings"])
    texts = {"pre": pre.output, "post": post.output, **stored}
    secrets = harness.secrets_of(env) + [stack["TESTENV_PG_PASSWORD"]]
    assert harness.leaks(texts, secrets) == []
    assert not [where for where, text in texts.items()
                if sentinel in (text.decode(errors="replace") if isinstance(text, bytes) else text)]


def test_errors_never_show_the_tables_data(pg):
    # A where: that converts a column the server cannot read, and a query: whose value is text:
    # the server's and taster's messages would otherwise quote the row's value.
    orders(pg, rows=6)
    sentinel = "SENTINEL-" + pg.name
    pg.sql(f"UPDATE orders SET note = '{sentinel}' WHERE id = 5")
    cast = pg.snapshot(pg.checks("checks:\n  - {name: bad, kind: count, table: SCHEMA.orders, where: \"note::int > 0\"}\n"))
    assert cast.returncode != 0, cast
    assert "22P02" in cast.stderr or "invalid input syntax" in cast.stderr, cast
    text = pg.snapshot(pg.checks("checks:\n  - {name: bad, kind: query, query: \"SELECT note FROM SCHEMA.orders WHERE id = 5\"}\n"))
    assert text.returncode != 0 and "is not a number" in text.stderr, text
    for run in (cast, text):
        assert sentinel not in run.output and "SENTINEL" not in run.output, run


def test_wrong_password_and_unreachable_server_exit_3(pg):
    orders(pg, rows=1)
    port = pg.stack["TESTENV_PG_PORT"]
    wrong = pg.snapshot(None, DATABASE_URL=f"postgresql://taster:Wr0ng-pass%40word@127.0.0.1:{port}/pxbbq")
    assert wrong.returncode == 3, wrong
    assert "authentication" in wrong.stderr and "password authentication failed" in wrong.stderr
    assert "Wr0ng-pass" not in wrong.output
    unreachable = pg.snapshot(None, DATABASE_URL="postgresql://taster:x@127.0.0.1:1/pxbbq", TASTER_MONGO_WAIT="1s")
    assert unreachable.returncode == 3, unreachable
    assert "unreachable" in unreachable.stderr and "127.0.0.1:1" in unreachable.stderr


def test_bad_sql_is_exit_2_never_a_pass(pg):
    orders(pg, rows=3)
    syntax = pg.snapshot(pg.checks("checks:\n  - {name: bad, kind: count, table: SCHEMA.orders, where: \"status = = 1\"}\n"))
    assert syntax.returncode == 2, syntax
    assert "42601" in syntax.stderr and "where:" in syntax.stderr
    for query in ("DELETE FROM SCHEMA.orders", "SELECT 1; DELETE FROM SCHEMA.orders", "UPDATE SCHEMA.orders SET note = 'x'"):
        run = pg.snapshot(pg.checks(f"checks:\n  - name: bad\n    kind: query\n    query: \"{query}\"\n"))
        assert run.returncode == 2, run
        assert "query:" in run.stderr
    write = pg.snapshot(pg.checks(
        "checks:\n  - name: bad\n    kind: query\n    query: WITH d AS (DELETE FROM SCHEMA.orders RETURNING 1) SELECT count(*) FROM d\n"))
    assert write.returncode == 2, write
    assert "read-only transaction" in write.stderr
    assert pg.sql("SELECT count(*) FROM orders") == "3"
    two = pg.snapshot(pg.checks("checks:\n  - {name: two, kind: query, query: \"SELECT 1, 2\"}\n"))
    assert two.returncode == 2 and "one row with one number" in two.stderr, two


def test_missing_grant_is_named(pg, stack):
    orders(pg, rows=2)
    password = "N0-gr@nt:" + uuid.uuid4().hex[:12]
    pg.sql(f"CREATE ROLE {pg.name}_r LOGIN PASSWORD :'pw'", pw=password)
    try:
        url = pgserver.url(f"{pg.name}_r", password, int(stack["TESTENV_PG_PORT"]), "pxbbq")
        check = harness.run(["check"], pg.env(DATABASE_URL=url), tmp=pg.tmp)
        assert check.returncode == 3, check
        assert f"may not use schema {pg.name}" in check.stdout and f"GRANT USAGE ON SCHEMA" in check.stdout
        pg.sql(f"GRANT USAGE ON SCHEMA {pg.name} TO {pg.name}_r")
        check = harness.run(["check"], pg.env(DATABASE_URL=url), tmp=pg.tmp)
        assert check.returncode == 3, check
        assert f'GRANT SELECT ON "{pg.name}"."orders"' in check.stdout
        snapshot = pg.snapshot(None, DATABASE_URL=url)
        assert snapshot.returncode == 3 and "42501" in snapshot.stderr and "GRANT" in snapshot.stderr, snapshot
        pg.sql(f"GRANT pg_read_all_data TO {pg.name}_r")
        check = harness.run(["check"], pg.env(DATABASE_URL=url), tmp=pg.tmp)
        assert check.returncode == 0, check
        assert harness.leaks({"check": check.output, "snapshot": snapshot.output}, [password]) == []
    finally:
        pg.sql(f"DROP OWNED BY {pg.name}_r; DROP ROLE {pg.name}_r")


def test_tls_with_the_private_ca(pg, stack, tmp_path):
    orders(pg, rows=2)
    port = stack["TESTENV_PG_PORT"]
    password = urllib.parse.quote(stack["TESTENV_PG_PASSWORD"], safe="")
    base = f"postgresql://taster:{password}@127.0.0.1:{port}/pxbbq?sslmode=verify-full"
    ok = harness.run(["check"], pg.env(DATABASE_URL=f"{base}&sslrootcert={stack['TESTENV_CA']}"), tmp=pg.tmp)
    assert ok.returncode == 0, ok
    assert "TLS TLSv1." in ok.stdout
    other_ca, _ = tlsgen.make_ca(tmp_path / "other", name="not the stack's CA")
    wrong = pg.snapshot(None, DATABASE_URL=f"{base}&sslrootcert={other_ca}")
    assert wrong.returncode == 3, wrong
    assert "certificate" in wrong.stderr and "PGSSLROOTCERT" in wrong.stderr
    # The libpq variables work as well as DATABASE_URL.
    env = pg.env(DATABASE_URL=None, PGHOST="127.0.0.1", PGPORT=port, PGUSER="taster", PGDATABASE="pxbbq",
                 PGPASSWORD=stack["TESTENV_PG_PASSWORD"], PGSSLMODE="verify-full", PGSSLROOTCERT=stack["TESTENV_CA"])
    run = harness.run(["snapshot", "--output", "json"], env, tmp=pg.tmp)
    assert values(run)[f"{pg.name}.orders"]["value"] == {"int64": "2"}
    assert harness.leaks({"run": run.output}, harness.secrets_of(env)) == []


def active(pg: Schema, marker: str) -> int:
    return int(pg.sql(f"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{marker}%' "
                      "AND state = 'active' AND pid <> pg_backend_pid()"))


def test_sigterm_cancels_the_servers_query(pg):
    orders(pg, rows=1)
    marker = f"slow-{pg.name}"
    checks = pg.checks(f"checks:\n  - {{name: slow, kind: query, query: \"SELECT count(*) FROM pg_sleep(60) /* {marker} */\"}}\n")
    env = pg.env(TASTER_CHECKS=checks)
    process = subprocess.Popen([str(harness.binary()), "snapshot"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and active(pg, marker) == 0:
        time.sleep(0.1)
    assert active(pg, marker) == 1
    process.terminate()
    _, stderr = process.communicate(timeout=20)
    assert process.returncode == 143, stderr
    # PQcancel reached the server: the query is gone at once, not when it would have ended.
    time.sleep(0.3)
    assert active(pg, marker) == 0, stderr


def test_the_deadline_is_the_servers_statement_timeout(pg):
    orders(pg, rows=1)
    marker = f"deadline-{pg.name}"
    checks = pg.checks(f"checks:\n  - {{name: slow, kind: query, query: \"SELECT count(*) FROM pg_sleep(60) /* {marker} */\"}}\n")
    started = time.monotonic()
    run = pg.snapshot(checks, TASTER_DEADLINE="4s")
    assert run.returncode == 3, run
    assert time.monotonic() - started < 15
    assert "deadline" in run.stderr.lower()
    assert active(pg, marker) == 0


def test_one_engine_at_a_time(pg, stack):
    both = harness.run(["snapshot"], pg.env(MONGODB_URI=stack["MONGODB_URI"]), tmp=pg.tmp)
    assert both.returncode == 2, both
    assert "MONGODB_URI" in both.stderr and "DATABASE_URL" in both.stderr
    neither = harness.run(["snapshot"], pg.env(DATABASE_URL=None), tmp=pg.tmp)
    assert neither.returncode == 2, neither
    assert "MONGODB_URI or DATABASE_URL" in neither.stderr
    wrong = harness.run(["snapshot"], pg.env(DATABASE_URL="mysql://u:S3cret-pass@h/db"), tmp=pg.tmp)
    assert wrong.returncode == 2 and "postgres://" in wrong.stderr and "S3cret-pass" not in wrong.output, wrong


def test_a_where_that_escapes_its_parentheses_is_refused(pg):
    # `WHERE (1=1) OR (1=1) AND cut` would drop the asOf cut: refused before the server is touched.
    orders(pg, rows=10)
    escape = pg.snapshot(pg.checks(
        'checks:\n  - {name: cut, kind: count, table: SCHEMA.orders, where: "1=1) OR (1=1", asOf: baseline, asOfColumn: created_at}\n'))
    assert escape.returncode == 2, escape
    assert "where:" in escape.stderr and "parentheses" in escape.stderr
    # A trailing comment ends with the condition's line: the cut still applies (rows 3 and 6 by 00:06).
    commented = pg.snapshot(pg.checks(
        "checks:\n  - {name: cut, kind: count, table: SCHEMA.orders, where: \"status = 'paid' -- paid only\", "
        "asOf: baseline, asOfColumn: created_at}\n"), "--as-of", "2026-01-01T00:06:00.000Z")
    assert values(commented)["cut"]["value"] == {"int64": "2"}


def test_a_vanished_table_is_called_a_table_and_compare_reads_sql_without_database_url(pg, stack):
    orders(pg, rows=6)
    pg.sql("CREATE TABLE audit (id int PRIMARY KEY); INSERT INTO audit VALUES (1)")
    checks = pg.checks("checks:\n  - {name: audit, kind: count, table: SCHEMA.audit, where: \"id > 0\"}\n")
    prefix = f"e2e/{pg.name}"
    env = pg.env(TASTER_CHECKS=checks, TASTER_PREFIX=prefix, TASTER_RUN_ID=pg.name, TASTER_NAMESPACE=pg.name.replace("_", "-"))
    assert harness.run(["pre-taste"], env, tmp=pg.tmp).returncode == 0
    pg.sql("DROP TABLE audit")
    post = harness.run(["post-taste"], env, tmp=pg.tmp)
    assert post.returncode == 1, post
    assert f"table audit vanished" in post.stdout and "collection audit" not in post.stdout, post
    # compare with the SQL checks file, with MongoDB settings only: the reports say PostgreSQL.
    folder = f"s3://{stack['TASTER_BUCKET']}/{prefix}/runs/{pg.name}"
    mongo = {**env, "DATABASE_URL": None, "MONGODB_URI": stack["MONGODB_URI"], "TASTER_DATABASE": "pxbbq"}
    compared = harness.run(["compare", f"{folder}/pre.json", f"{folder}/post.json", "--checks", checks],
                           {k: v for k, v in mongo.items() if v is not None}, tmp=pg.tmp)
    assert compared.returncode == 1, compared
    assert "table audit vanished" in compared.stdout, compared
