"""PostgreSQL's inventory from pg_catalog and the structure rules (issue 17, item 4), end to end on
the stack's PostgreSQL 15 with its read-only role (pg_read_all_data): every snapshot records the
tables, columns, constraints, indexes and views of the user schemas, and post-taste judges what a
sync changed by the same rules as MongoDB's inventory."""
from __future__ import annotations

import subprocess
import threading
import time

import pgserver
from test_postgres import Schema, pg  # noqa: F401 (the fixture)
from test_postgres_evidence import Sync


def rows(sync: Sync) -> dict[str, dict]:
    return {f"{row['subject']} {row['change']}": row for row in sync.stored("verdict.json")["structure"]}


def result(structure: dict[str, dict], prefix: str) -> str:
    found = [row["result"] for text, row in structure.items() if text.startswith(prefix)]
    assert len(found) == 1, (prefix, list(structure))
    return found[0]


def schema_of(pg: Schema) -> None:
    pg.sql("""
        CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL, CONSTRAINT customers_email_key UNIQUE (email));
        CREATE TABLE orders (id bigint PRIMARY KEY, customer bigint REFERENCES customers(id), qty integer NOT NULL DEFAULT 1,
                             total numeric(12, 2), note text, CONSTRAINT orders_qty_check CHECK (qty > 0));
        CREATE INDEX orders_open ON orders (id) WHERE qty > 1;
        CREATE TABLE audit (id integer PRIMARY KEY);
        CREATE VIEW paid AS SELECT id FROM orders WHERE qty > 0;
        INSERT INTO customers VALUES (1, 'a@example.com'), (2, 'b@example.com');
        INSERT INTO orders VALUES (1, 1, 1, 10, 'x'), (2, 2, 2, 20, 'y');
        INSERT INTO audit VALUES (1);
    """)


def test_the_inventory_records_tables_columns_constraints_indexes_and_views(pg):
    schema_of(pg)
    sync = Sync(pg, "checks: []\n")
    assert sync.run("pre-taste").returncode == 0
    inventory = sync.stored("pre.json")["inventory"]
    tables = {t["name"]: t for t in inventory["collections"] if t["name"].startswith(pg.name + ".")}
    assert sorted(tables) == [f"{pg.name}.{n}" for n in ("audit", "customers", "orders", "paid")]
    orders = tables[f"{pg.name}.orders"]
    assert orders["type"] == "table" and orders["estimatedCount"] >= 1
    assert orders["columns"][2] == {"name": "qty", "type": "integer", "nullable": False, "default": "1"}
    assert orders["columns"][3]["type"] == "numeric(12,2)"
    constraints = {c["name"]: c for c in orders["constraints"]}
    assert constraints["orders_qty_check"] == {"name": "orders_qty_check", "type": "check", "definition": "CHECK (qty > 0)"}
    assert constraints["orders_customer_fkey"]["type"] == "foreign key"
    assert constraints["orders_pkey"]["type"] == "primary key"
    indexes = {i["name"]: i["spec"] for i in orders["indexes"]}
    assert indexes["orders_open"]["predicate"] == "(qty > 1)" and indexes["orders_open"]["unique"] == "false"
    assert indexes["orders_pkey"]["primary"] == "true"
    assert "FROM" in tables[f"{pg.name}.paid"]["options"]["definition"]
    # Nothing changed: every row of the structure passes, and the sync passes.
    post = sync.run("post-taste")
    assert post.returncode == 0, post
    assert sync.stored("verdict.json")["structure"] == []


def test_each_structure_rule_by_default(pg):
    schema_of(pg)
    sync = Sync(pg, "checks: []\n")
    assert sync.run("pre-taste").returncode == 0
    pg.sql("""
        DROP VIEW paid;
        ALTER TABLE orders DROP COLUMN note;                        -- a column dropped
        ALTER TABLE orders ALTER COLUMN total TYPE numeric(14, 2);  -- a column's type changed
        ALTER TABLE orders ALTER COLUMN qty SET DEFAULT 2;          -- its default: warn
        ALTER TABLE orders ADD COLUMN shipped boolean;              -- a column added: pass
        ALTER TABLE orders DROP CONSTRAINT orders_qty_check;        -- a check constraint dropped
        ALTER TABLE orders DROP CONSTRAINT orders_customer_fkey;    -- a foreign key dropped
        ALTER TABLE customers DROP CONSTRAINT customers_email_key;  -- a unique constraint and its index
        CREATE INDEX orders_total ON orders (total);                -- an index added: pass
        DELETE FROM audit;                                          -- emptied
        CREATE TABLE refunds (id integer PRIMARY KEY);              -- a table created: warn
        CREATE VIEW paid AS SELECT id, qty FROM orders WHERE qty > 0;
    """)
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    structure = rows(sync)
    t = pg.name
    assert result(structure, f"column {t}.orders.note dropped") == "fail"
    assert result(structure, f"column {t}.orders.total type changed") == "fail"
    assert result(structure, f"column {t}.orders.qty default changed") == "warn"
    assert result(structure, f"column {t}.orders.shipped added") == "pass"
    assert result(structure, f"constraint {t}.orders.orders_qty_check dropped") == "fail"
    assert result(structure, f"constraint {t}.orders.orders_customer_fkey dropped") == "fail"
    assert result(structure, f"constraint {t}.customers.customers_email_key dropped") == "fail"
    assert result(structure, f"index {t}.customers.customers_email_key dropped (unique)") == "fail"
    assert result(structure, f"index {t}.orders.orders_total added") == "pass"
    assert result(structure, f"table {t}.audit emptied") == "fail"
    assert result(structure, f"table {t}.refunds created") == "warn"
    assert result(structure, f"view {t}.paid definition changed") == "warn"
    assert f"column {t}.orders.note dropped" in post.stdout
    sync.assert_nothing_leaks()


def test_a_dropped_table_fails_and_the_checks_file_sets_severities(pg):
    schema_of(pg)
    sync = Sync(pg, """
structure:
  severity:
    collectionCreated: pass
    columnTypeChanged: warn
  ignore:
    collections: ["*.tmp_*"]
checks: []
""")
    assert sync.run("pre-taste").returncode == 0
    pg.sql("""
        DROP TABLE audit;
        ALTER TABLE orders ALTER COLUMN total TYPE numeric(14, 2);
        CREATE TABLE refunds (id integer PRIMARY KEY);
        CREATE TABLE tmp_work (id integer);
    """)
    post = sync.run("post-taste")
    assert post.returncode == 1, post
    structure = rows(sync)
    t = pg.name
    assert result(structure, f"table {t}.audit dropped") == "fail"
    assert result(structure, f"column {t}.orders.total type changed") == "warn"
    assert result(structure, f"table {t}.refunds created") == "pass"
    assert not [text for text in structure if "tmp_work" in text]


def test_the_inventory_is_read_again_when_another_session_drops_tables_meanwhile(pg, stack):
    # A migration in another schema drops and makes tables, indexes and views while taster reads
    # the catalog: its functions look objects up in the current catalog, not the transaction's
    # snapshot, and fail (XX000 "could not open relation", 42P01, 40P01) — before the retry, 6 of
    # 10 inventories failed under this churn. Each read is rolled back and made again.
    stop = threading.Event()
    churn = f"{pg.name}_churn"

    def migrate() -> None:
        psql = subprocess.Popen([str(pgserver.PG_BIN / "psql"), stack["TESTENV_PG_ADMIN_URL"], "-X", "-q"], text=True,
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        while not stop.is_set():
            psql.stdin.write(f"DROP SCHEMA IF EXISTS {churn} CASCADE; CREATE SCHEMA {churn};"
                             f"CREATE TABLE {churn}.t (id int PRIMARY KEY, v int UNIQUE, w int CHECK (w > 0));"
                             f"CREATE INDEX ON {churn}.t (w); CREATE VIEW {churn}.v AS SELECT id FROM {churn}.t;\n")
            psql.stdin.flush()
            time.sleep(0.01)
        psql.stdin.write(f"DROP SCHEMA IF EXISTS {churn} CASCADE;\n\\q\n")
        psql.stdin.close()
        psql.wait(30)

    schema_of(pg)
    thread = threading.Thread(target=migrate, daemon=True)
    thread.start()
    try:
        runs = [pg.snapshot(None, "--inventory") for _ in range(10)]
    finally:
        stop.set()
        thread.join(30)
    failed = [run.stderr.strip().splitlines()[-1:] for run in runs if run.returncode != 0]
    assert failed == [], failed
    assert all(f"{pg.name}.orders" in run.stdout for run in runs)
