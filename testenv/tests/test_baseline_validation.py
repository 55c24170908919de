"""A baseline post-taste cannot trust is refused with exit 4 before anything is scaled, never
compared: through the real binary on the local stack, with pre.json (or the pointer) changed in
S3 after a real pre-taste."""
from __future__ import annotations

import json
import time

import pytest

import harness


def put(app, key: str, body: bytes) -> None:
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=body)


def baseline_key(app) -> str:
    return json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])["key"]


def rewrite(app, change) -> None:
    """Applies `change` to the stored pre.json (as parsed JSON) and stores it back."""
    key = baseline_key(app)
    report = json.loads(app.objects()[key])
    change(report)
    put(app, key, json.dumps(report, indent=2).encode())


def replace_a_baseline_document(app) -> None:
    """What the sync did: one document of the baseline deleted and a new one inserted, so a plain
    count stays equal and only the `asOf: baseline` cut tells them apart."""
    app.orders.delete_one({"n": 5})
    time.sleep(1.1)  # the ObjectId cut has one-second resolution
    app.orders.insert_one({"n": 5000, "status": "paid"})


def cut_orders(app) -> None:
    app.checks(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: ORDERS\n    asOf: baseline\n")


def test_with_a_sound_baseline_the_cut_catches_a_replaced_document(app):
    """The scene the damaged baselines below must not pass: the cut at the baseline's time sees
    one document fewer."""
    cut_orders(app)
    assert app.run("pre-taste").returncode == 0
    replace_a_baseline_document(app)
    post = app.run("post-taste")
    assert post.returncode == 1, post
    assert app.verdict()["checks"][0]["reason"] == "1 fewer, rule equal"


@pytest.mark.parametrize("takenAt,says", [
    ("not a time", 'snapshot.takenAt "not a time" is not an RFC 3339 time'),
    ("", 'snapshot.takenAt "" is not an RFC 3339 time'),
    ("2099-01-01T00:00:00.000Z", "snapshot.takenAt 2099-01-01T00:00:00.000Z lies in the future"),
], ids=["garbage", "empty", "future"])
def test_an_unusable_snapshot_time_is_exit_4_not_a_pass(app, takenAt, says):
    cut_orders(app)
    assert app.run("pre-taste").returncode == 0
    assert app.run("restore").returncode == 0
    rewrite(app, lambda report: report["snapshot"].__setitem__("takenAt", takenAt))
    replace_a_baseline_document(app)
    before = app.control.mark()
    post = app.run("post-taste")
    assert post.returncode == 4, post
    assert says in post.stderr, post.stderr
    assert "run pre-taste again" in post.stderr
    assert post.termination_log.startswith("taster: ERROR post-taste (exit 4)"), post
    assert app.control.requests(since=before, namespace=app.name, method="PATCH") == [], "refused before scaling"
    assert not any(key.endswith(("post.json", "verdict.json")) for key in app.objects()), "no verdict"


def set_check(index, key, value):
    return lambda report: report["snapshot"]["checks"][index].__setitem__(key, value)


def set_workload(index, key, value):
    return lambda report: report["workloads"][index].__setitem__(key, value)


DAMAGE = [
    ("finishedAt in the future", lambda r: r.__setitem__("finishedAt", "2099-01-01T00:00:00Z"), "finishedAt 2099-01-01T00:00:00Z lies in the future"),
    ("another run id", lambda r: r.__setitem__("runId", "someone-else"), 'runId is "someone-else"'),
    ("another app", lambda r: r.__setitem__("app", "other-app"), 'app is "other-app"'),
    ("a check name twice", lambda r: r["snapshot"]["checks"][1].__setitem__("name", r["snapshot"]["checks"][0]["name"]), "is used twice"),
    ("an empty check name", set_check(0, "name", ""), ".name is empty"),
    ("a count that is text", set_check(0, "value", {"text": "200"}), "is not a 64-bit integer"),
    ("a count that is negative", set_check(0, "value", {"int64": "-1"}), "is negative"),
    ("a count without a value", lambda r: r["snapshot"]["checks"][0].pop("value"), "is absent, but a count always has one"),
    ("a value for a missing collection", set_check(0, "missing", True), "recorded as missing"),
    ("no checks at all", lambda r: r["snapshot"].__setitem__("checks", []), "measured nothing"),
    ("a bad collection name", set_check(0, "collection", "a$b"), "is not a collection name"),
    ("negative replicas", set_workload(0, "replicasBefore", -3), "replicasBefore -3 is not a replica count"),
    ("a workload twice", lambda r: r["workloads"].append(dict(r["workloads"][0])), "a second time"),
    ("an unknown rule", set_check(0, "rule", "roughly"), "unknown rule"),
]


@pytest.mark.parametrize("change,says", [(c, s) for _, c, s in DAMAGE], ids=[name for name, _, _ in DAMAGE])
def test_every_field_the_verdict_depends_on_is_validated(app, change, says):
    assert app.run("pre-taste").returncode == 0
    assert app.run("restore").returncode == 0
    rewrite(app, change)
    before = app.control.mark()
    post = app.run("post-taste")
    assert post.returncode == 4, post
    assert says in post.stderr, post.stderr
    assert app.control.requests(since=before, namespace=app.name, method="PATCH") == [], "refused before scaling"


def test_restore_refuses_replicas_it_cannot_trust(app):
    assert app.run("pre-taste").returncode == 0
    rewrite(app, set_workload(1, "replicasBefore", 10**12))
    before = app.control.mark()
    restore = app.run("restore")
    assert restore.returncode == 4, restore
    assert "replicasBefore 1000000000000 is not a replica count" in restore.stderr
    assert app.control.requests(since=before, namespace=app.name, method="PATCH") == []
    # A damaged check does not stop a restore, which only needs the workloads.
    rewrite(app, lambda r: (set_workload(1, "replicasBefore", 0)(r), set_check(0, "value", {"text": "x"})(r)))
    assert app.run("restore").returncode == 0
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}


def test_a_pointer_to_a_key_outside_the_app_is_refused(app):
    assert app.run("pre-taste").returncode == 0
    assert app.run("restore").returncode == 0
    pointer_key = f"{app.prefix}/latest-pre.json"
    pointer = json.loads(app.objects()[pointer_key])
    elsewhere = f"e2e/other-app/runs/{pointer['runId']}/pre.json"
    put(app, elsewhere, app.objects()[pointer["key"]])
    pointer["key"] = elsewhere
    put(app, pointer_key, json.dumps(pointer).encode())
    try:
        post = app.run("post-taste")
        assert post.returncode == 4, post
        assert "is not where this app's baseline of that run is" in post.stderr, post.stderr
    finally:
        harness.s3_client(app.stack).delete_object(Bucket=app.stack["TASTER_BUCKET"], Key=elsewhere)
