"""PostgreSQL: the app's data in the stack's PostgreSQL 15 (a schema of its own per case), measured
by the read-only role with an awkward password — wrong password, unreachable server, a missing
grant, a query that is not a SELECT, a `where:` with a syntax error, SIGTERM during a long query,
and a sync that loses rows."""
from __future__ import annotations

import time
import urllib.parse
import uuid

import pgserver
from chaos.kit import Ctx, case

ROWS = 90


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
