"""PostgreSQL: the app's data in the stack's PostgreSQL 15 (a schema of its own per case), measured
by the read-only role with an awkward password — wrong password, unreachable server, a missing
grant, a query that is not a SELECT, a `where:` with a syntax error, SIGTERM during a long query,
a sync that loses rows; the evidence (rows named by primary key, a damaged document index judged
by the fingerprint) and the structure (a dropped unique constraint, a table without a primary
key, a role whose settings round floats).

Every case holds the `postgres` lock: each makes and drops a schema (DDL) and reads the
inventory of the whole database, so another case's tables appearing between its hooks would be
structure rows of its verdict. (The inventory's catalog functions also failed with "cache lookup
failed for index" when another case dropped its schema meanwhile; taster now reads it again.)"""
from __future__ import annotations

import json
import time
import urllib.parse
import uuid
from functools import partial

import harness
import pgserver
from chaos import kit
from chaos.kit import Ctx

ROWS = 90
# One PostgreSQL case at a time: see the module's documentation.
case = partial(kit.case, locks=("postgres",))


class PgApp:
    """The case's app on PostgreSQL: `<schema>.orders` (ROWS rows, every third paid) and
    `<schema>.registrations`, counted by TASTER_COLLECTIONS; MONGODB_URI removed."""

    def __init__(self, c: Ctx) -> None:
        self.c = c
        self.app = c.app(seed=False)
        self.schema = c.name.replace("-", "_")
        self.admin = c.stack["TESTENV_PG_ADMIN_URL"]
        self.sql(f"""
            CREATE SCHEMA {self.schema};
            CREATE TABLE {self.schema}.orders (id bigint PRIMARY KEY, status text NOT NULL, total numeric(10, 2) NOT NULL);
            INSERT INTO {self.schema}.orders SELECT g, CASE WHEN g % 3 = 0 THEN 'paid' ELSE 'open' END, g * 2.5
              FROM generate_series(1, {ROWS}) g;
            CREATE TABLE {self.schema}.registrations (id bigint PRIMARY KEY, email text NOT NULL);
            INSERT INTO {self.schema}.registrations SELECT g, 'guest' || g || '@example.com' FROM generate_series(1, 20) g;
        """)
        c.cleanup(lambda: pgserver.psql(self.admin, f"DROP SCHEMA IF EXISTS {self.schema} CASCADE", check=False))
        env = self.app.env
        env.pop("MONGODB_URI", None)
        env.pop("TASTER_DATABASE", None)
        env["DATABASE_URL"] = c.stack["TESTENV_PG_URL"]
        env["TASTER_COLLECTIONS"] = f"{self.schema}.orders,{self.schema}.registrations"
        c.extra_secrets.append(c.stack["TESTENV_PG_PASSWORD"])
        # The schema's name is part of every check's name: data, not a secret, in stored reports.

    def sql(self, text: str) -> str:
        return pgserver.psql(self.admin, text).stdout.strip()

    def checks(self, text: str) -> None:
        self.app.checks(text.replace("SCHEMA", self.schema))

    def url(self, user: str, password: str, port: str | None = None) -> str:
        return pgserver.url(user, password, int(port or self.c.stack["TESTENV_PG_PORT"]), "pxbbq")

    def active(self, marker: str) -> int:
        return int(self.sql(f"SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%{marker}%' "
                            "AND state = 'active' AND pid <> pg_backend_pid()"))


@case("PostgreSQL", "a sync that loses 3 paid orders", "exit 1: post-taste fails naming paid-orders; the app back at rest")
def loses_rows(c: Ctx) -> None:
    pg = PgApp(c)
    pg.checks("""
checks:
  - {name: paid-orders, kind: count, table: SCHEMA.orders, where: "status = 'paid'", rule: no-decrease}
  - {name: orders-content, kind: fingerprint, table: SCHEMA.orders, columns: [status, total]}
""")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    pg.sql(f"DELETE FROM {pg.schema}.orders WHERE id IN (3, 6, 9)")
    post = c.run("post-taste")
    c.mentions(post, "paid-orders", "30 → 27")
    c.survived(post, code=1)


@case("PostgreSQL", "wrong password", "exit 3 naming authentication; nothing stored, replicas restored")
def wrong_password(c: Ctx) -> None:
    pg = PgApp(c)
    wrong = "Wr0ng:p@ss/" + uuid.uuid4().hex[:10]
    c.extra_secrets.append(wrong)
    run = c.run("pre-taste", env={"DATABASE_URL": pg.url("taster", wrong), "TASTER_MONGO_WAIT": "5s"})
    c.failed_closed(run, 3, "PostgreSQL authentication", "password authentication failed")


@case("PostgreSQL", "server unreachable", "exit 3 naming the unreachable host after TASTER_MONGO_WAIT")
def unreachable(c: Ctx) -> None:
    PgApp(c)
    run = c.run("pre-taste", env={"DATABASE_URL": "postgresql://taster:x-Unused-9@127.0.0.1:1/pxbbq",
                                  "TASTER_MONGO_WAIT": "3s"})
    c.failed_closed(run, 3, "PostgreSQL unreachable", "127.0.0.1:1")


@case("PostgreSQL", "role without SELECT on the tables", "exit 3 naming the GRANT that is missing")
def missing_grant(c: Ctx) -> None:
    pg = PgApp(c)
    role, password = f"{pg.schema}_r", "N0:gr@nt/" + uuid.uuid4().hex[:10]
    c.extra_secrets.append(password)
    pgserver.psql(pg.admin, f"CREATE ROLE {role} LOGIN PASSWORD :'pw'; GRANT USAGE ON SCHEMA {pg.schema} TO {role};",
                  variables={"pw": password})
    c.cleanup(lambda: pgserver.psql(pg.admin, f"DROP OWNED BY {role}; DROP ROLE {role}", check=False))
    url = pg.url(role, password)
    check = c.run("check", env={"DATABASE_URL": url, "TASTER_WORKLOADS": None})
    c.check(check.returncode == 3 and f'GRANT SELECT ON "{pg.schema}"."orders"' in check.stdout,
            f"taster check did not name the grant: {check.stdout[-400:]}")
    run = c.run("pre-taste", env={"DATABASE_URL": url})
    c.failed_closed(run, 3, "PostgreSQL authorization", "GRANT")


@case("PostgreSQL", "a query that is not a SELECT", "exit 2 before anything is touched; the table untouched")
def not_a_select(c: Ctx) -> None:
    pg = PgApp(c)
    pg.checks("checks:\n  - {name: purge, kind: query, query: \"DELETE FROM SCHEMA.orders\"}\n")
    since = c.control.mark()
    run = c.run("pre-taste")
    c.failed_closed(run, 2, "query:", "single read-only SELECT")
    c.check(pg.sql(f"SELECT count(*) FROM {pg.schema}.orders") == str(ROWS), "the table lost rows")
    c.no_kubernetes_call(since, "PATCH")


@case("PostgreSQL", "a where: with a syntax error", "exit 2 naming the check and SQLSTATE 42601; replicas restored")
def where_syntax(c: Ctx) -> None:
    pg = PgApp(c)
    pg.checks("checks:\n  - {name: paid, kind: count, table: SCHEMA.orders, where: \"status = = 'paid'\"}\n")
    run = c.run("pre-taste")
    c.failed_closed(run, 2, "42601", "paid")


@case("PostgreSQL", "SIGTERM during a long query", "exit 143; the server-side query cancelled (pg_stat_activity)")
def sigterm_long_query(c: Ctx) -> None:
    pg = PgApp(c)
    marker = f"slow-{pg.schema}"
    pg.checks(f"checks:\n  - {{name: slow, kind: query, query: \"SELECT count(*) FROM pg_sleep(60) /* {marker} */\"}}\n")
    seen: dict[str, int] = {}

    def watch() -> None:
        end = time.monotonic() + 15
        while time.monotonic() < end and pg.active(marker) == 0:
            time.sleep(0.1)
        seen["during"] = pg.active(marker)

    run = c.run("pre-taste", on_line={"PostgreSQL is available": watch}, signal_after=6, env={"TASTER_DEADLINE": "2m"})
    time.sleep(0.5)
    c.check(seen.get("during") == 1, f"the query was not seen running before SIGTERM: {seen}")
    c.check(pg.active(marker) == 0, "the query still runs on the server after SIGTERM")
    c.failed_closed(run, 143, "SIGTERM")


@case("PostgreSQL", "a sync that loses 2 orders and changes 1: named by primary key",
      "exit 1: the verdict names the lost and the modified rows by id, the changed column total")
def names_rows(c: Ctx) -> None:
    pg = PgApp(c)
    pg.checks("checks:\n  - {name: orders-content, kind: fingerprint, table: SCHEMA.orders, columns: [status, total]}\n")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    pg.sql(f"DELETE FROM {pg.schema}.orders WHERE id IN (7, 8); UPDATE {pg.schema}.orders SET total = 0 WHERE id = 40")
    post = c.run("post-taste")
    evidence = _evidence(pg, "orders-content")
    named = {change: [d["_id"] for d in (evidence.get(change) or {}).get("first", [])] for change in ("lost", "modified")}
    c.note(f"named: {named}")
    c.check(named == {"lost": ['{"$numberLong":"7"}', '{"$numberLong":"8"}'], "modified": ['{"$numberLong":"40"}']},
            f"the verdict did not name rows 7, 8 (lost) and 40 (modified): {named}")
    c.check(evidence.get("modified", {}).get("first", [{}])[0].get("fields") == ["total"], "the changed column is not named")
    c.check("2 lost" in post.stdout and '{"$numberLong":"7"}' in post.stdout, f"the table does not name them: {post.stdout[-400:]}")
    c.survived(post, code=1)


@case("PostgreSQL", "a sync that drops a unique constraint",
      "exit 1: the structure rule fails naming the constraint; counts unchanged")
def drops_unique(c: Ctx) -> None:
    pg = PgApp(c)
    pg.sql(f"ALTER TABLE {pg.schema}.registrations ADD CONSTRAINT registrations_email_key UNIQUE (email)")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    pg.sql(f"ALTER TABLE {pg.schema}.registrations DROP CONSTRAINT registrations_email_key")
    post = c.run("post-taste")
    structure = [line for line in post.stdout.splitlines() if "registrations_email_key" in line]
    c.note(f"structure: {structure[:2]}")
    c.check(any("FAIL" in line for line in structure), f"no failing structure row names the constraint: {post.stdout[-500:]}")
    checks = _verdict(pg).get("checks", [])
    failed = [check["name"] for check in checks if check.get("result") != "pass"]
    c.check(checks and not failed, f"counts changed with the constraint, or no verdict: {failed or checks}")
    c.survived(post, code=1)


@case("PostgreSQL", "a fingerprint of a table without a primary key",
      "exit 2 before anything is scaled, naming the table and allowNoPrimaryKey; nothing stored")
def no_primary_key(c: Ctx) -> None:
    pg = PgApp(c)
    pg.sql(f"CREATE TABLE {pg.schema}.ledger (account text, amount numeric);"
           f"INSERT INTO {pg.schema}.ledger VALUES ('a', 10), ('b', 20)")
    pg.checks("checks:\n  - {name: ledger, kind: fingerprint, table: SCHEMA.ledger, columns: [account, amount]}\n")
    since = c.control.mark()
    run = c.run("pre-taste")
    c.failed_closed(run, 2, f"{pg.schema}.ledger, which has no primary key", "allowNoPrimaryKey: true")
    c.no_upload()
    c.no_kubernetes_call(since, "PATCH")


@case("PostgreSQL", "a role with extra_float_digits = 0 and another time zone",
      "exit 1: a float8 changed in its 17th digit is seen; timestamps and the inventory read alike")
def rounding_role(c: Ctx) -> None:
    pg = PgApp(c)
    role, password = f"{pg.schema}_f", "R0und:" + uuid.uuid4().hex[:10]
    c.extra_secrets.append(password)
    pgserver.psql(pg.admin, f"""
        CREATE ROLE {role} LOGIN PASSWORD :'pw'; GRANT pg_read_all_data TO {role};
        ALTER ROLE {role} SET extra_float_digits = 0; ALTER ROLE {role} SET TimeZone = 'Asia/Kathmandu';
        CREATE TABLE {pg.schema}.rates (id integer PRIMARY KEY, rate double precision, at timestamptz);
        INSERT INTO {pg.schema}.rates VALUES (1, 0.3, '2026-01-01 00:00+00'), (2, 2.5, '2026-01-02 00:00+00');
    """, variables={"pw": password})
    c.cleanup(lambda: pgserver.psql(pg.admin, f"DROP OWNED BY {role}; DROP ROLE {role}", check=False))
    pg.checks("""checks:
  - {name: rates, kind: fingerprint, table: SCHEMA.rates, columns: [rate, at]}
  - {name: lowest-rate, kind: min, table: SCHEMA.rates, column: rate}
""")
    pg.app.env["TASTER_EVIDENCE_KEY"] = "Fl0atR0undingKey-9x2Lq"
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    pg.sql(f"UPDATE {pg.schema}.rates SET rate = 0.30000000000000004 WHERE id = 1")
    post = c.run("post-taste", env={"DATABASE_URL": pg.url(role, password)})
    results = {check["name"]: check["result"] for check in _verdict(pg).get("checks", [])}
    c.note(f"results: {results}")
    c.check(results.get("rates") == "fail" and results.get("lowest-rate") == "fail",
            f"the change in the 17th digit was not seen: {results}")
    modified = (_evidence(pg, "rates").get("modified") or {}).get("first", [])
    c.check(modified == [{"_id": '{"$numberInt":"1"}', "fields": ["rate"]}], f"not only the rate of row 1: {modified}")
    c.check("STRUCTURE: no collection, view or index changed" in post.stdout, "the role's settings changed the inventory")
    c.survived(post, code=1)


@case("PostgreSQL", "the document index truncated in the bucket",
      "exit 1 (rows lost), judged by the fingerprint; the verdict says why rows cannot be named")
def truncated_index(c: Ctx) -> None:
    pg = PgApp(c)
    pg.checks("checks:\n  - {name: orders-content, kind: fingerprint, table: SCHEMA.orders, columns: [status, total]}\n")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    c.baseline_damaged_on_purpose = True
    key, body = next((k, b) for k, b in pg.app.objects().items() if k.endswith(".tidx"))
    harness.s3_client(c.stack).put_object(Bucket=c.stack["TASTER_BUCKET"], Key=key, Body=body[: len(body) // 2])
    pg.sql(f"DELETE FROM {pg.schema}.orders WHERE id = 5")
    post = c.run("post-taste")
    unavailable = _evidence(pg, "orders-content").get("unavailable") or ""
    c.note(f"rows cannot be named: {unavailable[:140]}")
    c.check("truncated" in unavailable, f"the verdict does not say the index is truncated: {unavailable[:200]!r}")
    c.check("rows cannot be named" in post.stdout, "the table does not say why the rows cannot be named")
    c.failed_closed(post, 1, "rows cannot be named")


def _verdict(pg: PgApp) -> dict:
    bodies = [body for key, body in pg.app.objects().items() if key.endswith("verdict.json")]
    return json.loads(bodies[0]) if bodies else {}


def _evidence(pg: PgApp, check: str) -> dict:
    return next((c.get("evidence") or {} for c in _verdict(pg).get("checks", []) if c["name"] == check), {})
