"""The database's inventory and structure, compared on every sync (issue 16): each structure
rule one at a time through the real binary on SecantusDB with the read-only `taster` user — the
exit code and the row it produces — plus `TASTER_COLLECTIONS=*`, the `structure:` section,
`--report-only`, a version 1 baseline and a user the server refuses `listIndexes`.

What SecantusDB cannot show (it lists a time-series collection as `type: collection` with
`timeseries` options; no `collMod` of capped size) is covered by StructureTests.swift."""
from __future__ import annotations

import json
import secrets
import urllib.parse

import pymongo
import pytest

import harness


def rows(verdict: dict) -> dict[str, str]:
    """`description -> result` of the verdict's structure rows."""
    return {f"{row['subject']} {row['change']}": row["result"] for row in verdict.get("structure") or []}


def report(app, name: str) -> dict:
    return json.loads(next(body for key, body in app.objects().items() if key.endswith("/" + name)))


def sync(app, change, *, expect: int, args=(), env=None):
    """pre-taste, `change(app)`, post-taste; returns (post run, verdict)."""
    pre = app.run("pre-taste", env=env or {})
    assert pre.returncode == 0, pre
    change(app)
    post = app.run("post-taste", *args, env=env or {})
    assert post.returncode == expect, post
    return post, app.verdict()


def test_the_inventory_is_in_every_report(app):
    app.registrations.create_index("email", unique=True)
    app.db.create_collection(f"{app.name}-view", viewOn=app.orders.name, pipeline=[{"$match": {"status": "paid"}}])
    try:
        post, verdict = sync(app, lambda app: None, expect=0)
        for name in ("pre.json", "post.json"):
            inventory = report(app, name)["inventory"]
            assert report(app, name)["schemaVersion"] == 3
            collections = {c["name"]: c for c in inventory["collections"]}
            registrations = collections[app.registrations.name]
            assert registrations["type"] == "collection" and registrations["estimatedCount"] == 40
            index = next(i for i in registrations["indexes"] if i["name"] == "email_1")
            assert index["spec"]["unique"] == "true" and '"email" : 1' in index["spec"]["key"], index
            view = collections[f"{app.name}-view"]
            assert view["type"] == "view" and view["options"]["viewOn"] == f'"{app.orders.name}"', view
            assert "status" in view["options"]["pipeline"] and view["indexes"] == []
            assert "problems" not in inventory, inventory
        assert rows(verdict) == {}, verdict["structure"]
        assert "STRUCTURE: no collection, view or index changed" in post.stdout
    finally:
        app.db.drop_collection(f"{app.name}-view")


def test_a_dropped_unique_index_fails_with_a_row_that_names_it(app):
    app.registrations.create_index("email", unique=True)
    post, verdict = sync(app, lambda app: app.registrations.drop_index("email_1"), expect=1)
    row = f"index {app.registrations.name}.email_1 dropped (unique)"
    assert rows(verdict)[row] == "fail", verdict["structure"]
    assert row in post.stdout and "STRUCTURE" in post.stdout
    assert f"structure: 1 failed: {row}" in verdict["summary"]
    assert row in post.termination_log
    page = next(body for key, body in app.objects().items() if key.endswith("verdict.html")).decode()
    assert 'id="structure"' in page and row in page and "&quot;email&quot; : 1" in page


def test_a_dropped_collection_nobody_listed_fails(app):
    other = app.db[f"{app.name}-audit"]
    other.insert_many([{"n": i} for i in range(5)])
    post, verdict = sync(app, lambda app: other.drop(), expect=1)
    assert rows(verdict)[f"collection {other.name} dropped (~5 documents)"] == "fail", verdict["structure"]


def test_a_created_collection_warns(app):
    created = app.db[f"{app.name}-audit"]
    try:
        post, verdict = sync(app, lambda app: created.insert_one({"n": 1}), expect=0)
        assert rows(verdict)[f"collection {created.name} created (~1 document)"] == "warn", verdict["structure"]
        assert "structure: 1 warning" in verdict["summary"]
    finally:
        created.drop()


def test_an_emptied_collection_fails(app):
    other = app.db[f"{app.name}-audit"]
    other.insert_many([{"n": i} for i in range(3)])
    try:
        post, verdict = sync(app, lambda app: other.delete_many({}), expect=1)
        assert rows(verdict)[f"collection {other.name} emptied (~3 → 0 documents, estimated)"] == "fail", verdict["structure"]
    finally:
        other.drop()


def test_a_changed_ttl_index_fails(app):
    app.orders.create_index("createdAt", expireAfterSeconds=3600)
    change = lambda app: app.db.command("collMod", app.orders.name, index={"name": "createdAt_1", "expireAfterSeconds": 60})  # noqa: E731
    post, verdict = sync(app, change, expect=1)
    row = f"index {app.orders.name}.createdAt_1 expireAfterSeconds changed (3600 → 60)"
    assert rows(verdict)[row] == "fail", verdict["structure"]
    found = next(r for r in verdict["structure"] if r["change"].startswith("expireAfterSeconds"))
    assert "expireAfterSeconds: 3600" in found["before"] and "expireAfterSeconds: 60" in found["after"], found


def test_an_index_made_non_unique_fails_and_an_added_index_is_listed(app):
    app.registrations.create_index("email", unique=True)

    def change(app):
        app.registrations.drop_index("email_1")
        app.registrations.create_index("email")
        app.registrations.create_index("n")

    post, verdict = sync(app, change, expect=1)
    found = rows(verdict)
    assert found[f"index {app.registrations.name}.email_1 unique removed (true → none)"] == "fail", verdict["structure"]
    assert found[f"index {app.registrations.name}.n_1 added"] == "pass", verdict["structure"]


def test_an_added_index_alone_passes(app):
    post, verdict = sync(app, lambda app: app.orders.create_index("status"), expect=0)
    assert rows(verdict) == {f"index {app.orders.name}.status_1 added": "pass"}, verdict["structure"]
    assert "PASS" in post.stdout and f"index {app.orders.name}.status_1 added" in post.stdout


def test_a_changed_validator_warns(app):
    change = lambda app: app.db.command("collMod", app.orders.name, validator={"n": {"$type": "int"}})  # noqa: E731
    post, verdict = sync(app, change, expect=0)
    changed = {row: result for row, result in rows(verdict).items() if "validator" in row}
    assert changed == {f'collection {app.orders.name} validator set (none → {{ "n" : {{ "$type" : "int" }} }})': "warn"}, verdict["structure"]


def test_a_changed_view_pipeline_warns(app):
    view = f"{app.name}-paid"
    app.db.create_collection(view, viewOn=app.orders.name, pipeline=[{"$match": {"status": "paid"}}])
    try:
        def change(app):  # SecantusDB's collMod keeps a view's pipeline: the migration recreates it
            app.db.drop_collection(view)
            app.db.create_collection(view, viewOn=app.orders.name, pipeline=[{"$match": {"status": "open"}}])

        post, verdict = sync(app, change, expect=0)
        assert list(rows(verdict).values()) == ["warn"], verdict["structure"]
        assert next(iter(rows(verdict))).startswith(f"view {view} pipeline changed ("), verdict["structure"]
        row = verdict["structure"][0]
        assert '"paid"' in row["before"] and '"open"' in row["after"], row
    finally:
        app.db.drop_collection(view)


def test_a_dropped_view_fails(app):
    view = f"{app.name}-paid"
    app.db.create_collection(view, viewOn=app.orders.name, pipeline=[{"$match": {"status": "paid"}}])
    post, verdict = sync(app, lambda app: app.db.drop_collection(view), expect=1)
    assert rows(verdict) == {f"view {view} dropped": "fail"}, verdict["structure"]


def test_changed_capped_options_fail(app):
    name = f"{app.name}-log"
    app.db.create_collection(name, capped=True, size=4096)
    try:
        def change(app):
            app.db.drop_collection(name)
            app.db.create_collection(name, capped=True, size=8192)

        post, verdict = sync(app, change, expect=1)
        assert rows(verdict)[f"collection {name} size changed (4096 → 8192)"] == "fail", verdict["structure"]
    finally:
        app.db.drop_collection(name)


def test_changed_time_series_options_fail(app):
    name = f"{app.name}-metrics"
    app.db.create_collection(name, timeseries={"timeField": "at", "metaField": "host"})
    try:
        def change(app):
            app.db.drop_collection(name)
            app.db.create_collection(name, timeseries={"timeField": "at", "metaField": "sensor"})

        post, verdict = sync(app, change, expect=1)
        found = rows(verdict)
        row = next(r for r in found if r.startswith(f"time-series collection {name} timeseries changed"))
        assert found[row] == "fail", verdict["structure"]
    finally:
        app.db.drop_collection(name)


def test_the_structure_section_ignores_and_overrides(app):
    migrations = app.db[f"{app.name}-migrations"]
    migrations.insert_one({"version": 1})
    app.registrations.create_index("scratch")
    app.checks(f"""structure:
  severity:
    collectionCreated: fail
  ignore:
    collections: ["{app.name}-migr*"]
    indexes: ["*.scratch_1"]
""")

    def change(app):
        migrations.drop()
        app.registrations.drop_index("scratch_1")

    post, verdict = sync(app, change, expect=0)
    assert rows(verdict) == {}, verdict["structure"]
    assert report(app, "post.json")["inventory"]["rules"]["ignore"]["collections"] == [f"{app.name}-migr*"]
    created = app.db[f"{app.name}-audit"]
    try:
        app.objects()  # the first run's reports stay; a second run has its own
        assert app.run("pre-taste").returncode == 0
        created.insert_one({"n": 1})
        second = app.run("post-taste")
        assert second.returncode == 1, second
        assert f"collection {created.name} created (~1 document)" in second.stdout
    finally:
        created.drop()


def test_a_bad_structure_section_exits_2_before_anything(app):
    app.checks("structure:\n  severity:\n    collectionVanished: warn\n")
    run = app.run("pre-taste")
    assert run.returncode == 2, run
    assert "unknown aspect `collectionVanished`" in run.stderr and "collectionDropped" in run.stderr


def test_report_only_reports_structure_failures(app):
    app.registrations.create_index("email", unique=True)
    post, verdict = sync(app, lambda app: app.registrations.drop_index("email_1"), expect=0, args=("--report-only",))
    assert verdict["result"] == "fail" and verdict["reportOnly"] is True
    assert rows(verdict)[f"index {app.registrations.name}.email_1 dropped (unique)"] == "fail"


def test_every_collection_counted_with_one_added_and_one_dropped(app):
    env = {"TASTER_COLLECTIONS": "*"}
    other = app.db[f"{app.name}-audit"]
    other.insert_many([{"n": i} for i in range(4)])
    created = app.db[f"{app.name}-later"]
    try:
        def change(app):
            other.drop()
            created.insert_one({"n": 1})

        post, verdict = sync(app, change, expect=1, env=env)
        checks = {check["name"]: check for check in verdict["checks"]}
        assert checks[app.orders.name]["result"] == "pass" and checks[app.orders.name]["pre"] == {"int64": "200"}
        assert checks[other.name]["result"] == "fail" and "vanished" in checks[other.name]["reason"], checks[other.name]
        assert checks[created.name]["result"] == "pass" and "new since the baseline" in checks[created.name]["reason"]
        found = rows(verdict)
        assert found[f"collection {other.name} dropped (~4 documents)"] == "fail"
        assert found[f"collection {created.name} created (~1 document)"] == "warn"
        pre = report(app, "pre.json")
        assert pre["settings"]["collections"] == ["*"]
        assert all(check.get("discovered") for check in pre["snapshot"]["checks"])
    finally:
        created.drop()


def test_every_collection_counted_with_one_added_passes(app):
    env = {"TASTER_COLLECTIONS": "*"}
    created = app.db[f"{app.name}-later"]
    try:
        post, verdict = sync(app, lambda app: created.insert_one({"n": 1}), expect=0, env=env)
        assert rows(verdict)[f"collection {created.name} created (~1 document)"] == "warn"
    finally:
        created.drop()


def version_1(body: bytes) -> bytes:
    """A report as taster wrote it before the inventory."""
    document = json.loads(body)
    document.pop("inventory", None)
    document["schemaVersion"] = 1
    return json.dumps(document, indent=2).encode()


def test_a_version_1_baseline_gives_unknown_structure_rows(app, tmp_path):
    app.registrations.create_index("email", unique=True)
    assert app.run("pre-taste").returncode == 0
    key = json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])["key"]
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=version_1(app.objects()[key]))
    app.registrations.drop_index("email_1")
    post = app.run("post-taste")
    assert post.returncode == 0, post
    verdict = app.verdict()
    assert list(rows(verdict).values()) == ["unknown"], verdict["structure"]
    row = next(iter(rows(verdict)))
    assert "the baseline has no inventory" in row and row in post.stdout
    assert "structure: 1 unknown" in verdict["summary"]

    pre_file, post_file = tmp_path / "pre.json", tmp_path / "post.json"
    pre_file.write_bytes(app.objects()[key])
    post_file.write_bytes(next(body for k, body in app.objects().items() if k.endswith("/post.json")))
    env = {k: v for k, v in app.env.items() if k not in ("MONGODB_URI", "TASTER_CHECKS")}
    compared = harness.run(["compare", str(pre_file), str(post_file)], env, tmp=tmp_path)
    app.runs.append(compared)
    assert compared.returncode == 0 and "UNKNOWN" in compared.stdout, compared


@pytest.fixture
def no_list_indexes(app):
    """A user whose role may find and list collections in pxbbq, but not list indexes."""
    admin = pymongo.MongoClient(app.stack["TESTENV_MONGO_ADMIN_URI"]).admin
    role, user, password = f"{app.name}-noindexes", f"{app.name}-reader", secrets.token_urlsafe(16)
    admin.command("createRole", role, privileges=[{"resource": {"db": "pxbbq", "collection": ""},
                                                    "actions": ["find", "listCollections", "collStats", "dbStats"]}], roles=[])
    admin.command("createUser", user, pwd=password, roles=[{"role": role, "db": "admin"}])
    port = app.stack["TESTENV_MONGO_PORT"]
    yield f"mongodb://{urllib.parse.quote(user)}:{urllib.parse.quote(password)}@127.0.0.1:{port}/?authSource=admin"
    admin.command("dropUser", user)
    admin.command("dropRole", role)


def test_a_refused_list_indexes_is_said_and_unknown(app, no_list_indexes):
    app.registrations.create_index("email", unique=True)
    env = {"MONGODB_URI": no_list_indexes}
    post, verdict = sync(app, lambda app: app.registrations.drop_index("email_1"), expect=0, env=env)
    pre = report(app, "pre.json")
    registrations = next(c for c in pre["inventory"]["collections"] if c["name"] == app.registrations.name)
    assert "indexes" not in registrations and "listIndexes" in registrations["problems"][0], registrations
    assert any("listIndexes" in problem for problem in pre["inventory"]["problems"])
    assert "listIndexes" in app.runs[-2].stderr and "unknown" in app.runs[-2].stderr, "the snapshot says so"
    found = rows(verdict)
    row = next(r for r in found if r.startswith(f"collection {app.registrations.name} indexes unknown"))
    assert found[row] == "unknown" and "listIndexes" in row, verdict["structure"]
    assert "pass" not in {result for r, result in found.items() if app.registrations.name in r}


def test_a_collection_ttl_changed_fails(app):
    name = f"{app.name}-events"
    app.db.create_collection(name, clusteredIndex={"key": {"_id": 1}, "unique": True}, expireAfterSeconds=3600)
    try:
        def change(app):  # SecantusDB answers collMod expireAfterSeconds ok but keeps the old value
            app.db.drop_collection(name)
            app.db.create_collection(name, clusteredIndex={"key": {"_id": 1}, "unique": True}, expireAfterSeconds=60)

        post, verdict = sync(app, change, expect=1)
        assert rows(verdict) == {f"collection {name} expireAfterSeconds changed (3600 → 60)": "fail"}, verdict["structure"]
    finally:
        app.db.drop_collection(name)


def test_an_index_collation_change_fails_and_a_hidden_index_warns(app):
    app.registrations.create_index("email", name="email_1")
    app.registrations.create_index("n", name="n_1")

    def change(app):  # SecantusDB's collMod does not hide an index: the migration recreates them
        app.registrations.drop_index("email_1")
        app.registrations.create_index("email", name="email_1", collation={"locale": "fr"})
        app.registrations.drop_index("n_1")
        app.registrations.create_index("n", name="n_1", hidden=True)

    post, verdict = sync(app, change, expect=1)
    found = rows(verdict)
    collation = next((r for r in found if r.startswith(f"index {app.registrations.name}.email_1 collation set")), None)
    assert collation, verdict["structure"]
    assert found[collation] == "fail", verdict["structure"]
    assert found[f"index {app.registrations.name}.n_1 hidden set (none → true)"] == "warn", verdict["structure"]
