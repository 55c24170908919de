"""The taste workflows end to end, through the real binary on the local stack: pre-taste,
post-taste, compare, restore and check; every rule, severity and baseline problem; SIGTERM and
the deadline; and every run's output, termination message and uploaded reports scanned for each
secret in its environment."""
from __future__ import annotations

import json
import signal
import time

import pytest
from bson.decimal128 import Decimal128

import harness

def test_pass_restores_replicas_and_writes_every_report(app):
    pre = app.run("pre-taste")
    assert pre.returncode == 0, pre
    assert app.replicas() == {"mongo": 1, "pxbbq-web": 1}, "pre-taste leaves the app up for the sync"
    assert "taster: BASELINE" in pre.termination_log
    post = app.run("post-taste")
    assert post.returncode == 0, post
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "post-taste restores the replicas"
    assert "CHECK" in post.stdout and "PASS" in post.stdout
    assert post.termination_log.startswith("taster: PASS")
    keys = app.run_keys()
    run_id = json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])["runId"]
    assert keys == sorted([f"{app.prefix}/latest-pre.json", f"{app.prefix}/recent-runs.json"] + [f"{app.prefix}/runs/{run_id}/{name}"
                                                                for name in ("pre.json", "post.json", "verdict.json", "verdict.html")])
    verdict = app.verdict()
    assert verdict["result"] == "pass" and verdict["schemaVersion"] == 2
    pre_report = json.loads(app.objects()[f"{app.prefix}/runs/{run_id}/pre.json"])
    assert [w["replicasBefore"] for w in pre_report["workloads"]] == [0, 0]
    assert pre_report["snapshot"]["checks"][0]["value"] == {"int64": "200"}


RULES = [
    ("equal", "", lambda app: app.orders.delete_one({"n": 5})),
    ("no-decrease", "", lambda app: app.orders.delete_one({"n": 5})),
    ("no-increase", "", lambda app: app.orders.insert_one({"n": 999, "status": "paid", "total": Decimal128("1.00")})),
    ("tolerance", "tolerance: 1", lambda app: app.orders.delete_many({"n": {"$in": [5, 6]}})),
    ("tolerance", "tolerance: 0.5%", lambda app: app.orders.delete_many({"n": {"$in": [5, 6]}})),
]


@pytest.mark.parametrize("rule,tolerance,change", RULES, ids=[f"{r} {t}".strip() for r, t, _ in RULES])
def test_each_rule_fails_the_sync(app, rule, tolerance, change):
    app.checks(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: ORDERS\n    rule: {rule}\n    {tolerance}\n")
    assert app.run("pre-taste").returncode == 0
    change(app)
    post = app.run("post-taste")
    assert post.returncode == 1, post
    assert post.termination_log.startswith("taster: FAIL")
    assert app.verdict()["result"] == "fail"
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "restored after a failed comparison"


def test_rules_let_allowed_changes_pass(app):
    app.checks("checks:\n"
               f"  - name: {app.orders.name}\n    kind: count\n    collection: ORDERS\n    rule: no-decrease\n"
               "  - name: paid\n    kind: count\n    collection: ORDERS\n    filter: {status: paid}\n    rule: tolerance\n    tolerance: 2%\n"
               "  - name: revenue\n    kind: sum\n    collection: ORDERS\n    field: total\n    rule: no-decrease\n")
    assert app.run("pre-taste").returncode == 0
    app.orders.insert_one({"n": 1000, "status": "paid", "total": Decimal128("10.10")})
    post = app.run("post-taste")
    assert post.returncode == 0, post
    checks = {c["name"]: c for c in app.verdict()["checks"]}
    assert checks["revenue"]["delta"] == "+10.1" and checks["paid"]["result"] == "pass"


def test_warn_severity_reports_without_failing(app):
    app.checks(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: ORDERS\n    severity: warn\n")
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 1})
    post = app.run("post-taste")
    assert post.returncode == 0, post
    assert "WARN" in post.stdout and "1 warning" in post.termination_log
    assert app.verdict()["checks"][0]["result"] == "warn"


def test_report_only_exits_0_and_records_the_failure(app):
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 1})
    post = app.run("post-taste", "--report-only")
    assert post.returncode == 0, post
    verdict = app.verdict()
    assert verdict["result"] == "fail" and verdict["reportOnly"] is True
    assert "(report-only)" in post.termination_log


def test_a_second_post_taste_of_the_same_run_is_refused(app):
    assert app.run("pre-taste").returncode == 0
    assert app.run("post-taste").returncode == 0
    again = app.run("post-taste")
    assert again.returncode == 4, again
    assert "already used" in again.stderr


def test_missing_baseline_exits_4(app):
    post = app.run("post-taste")
    assert post.returncode == 4, post
    assert "no baseline" in post.stderr and "latest-pre.json" in post.stderr
    assert post.termination_log.startswith("taster: ERROR post-taste (exit 4)")


def put(app, key: str, body: bytes) -> None:
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=body)


def pre_report_key(app) -> str:
    return json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])["key"]


@pytest.mark.parametrize("damage,message", [
    (lambda body: body[: len(body) // 2], "not valid JSON"),
    (lambda body: b"<html>not a report</html>", "not valid JSON"),
    (lambda body: body.replace(b'"schemaVersion" : 3', b'"schemaVersion" : 9'), "schemaVersion 9"),
], ids=["truncated", "not-json", "wrong-schema"])
def test_unusable_baselines_exit_4(app, damage, message):
    assert app.run("pre-taste").returncode == 0
    assert app.run("restore").returncode == 0
    key = pre_report_key(app)
    put(app, key, damage(app.objects()[key]))
    before = app.control.mark()
    post = app.run("post-taste")
    assert post.returncode == 4, post
    assert message in post.stderr
    assert app.control.requests(since=before, namespace=app.name, method="PATCH") == [], "nothing scaled"


def test_stale_baseline_exits_4(app):
    assert app.run("pre-taste").returncode == 0
    time.sleep(2.1)
    before = app.control.mark()
    post = app.run("post-taste", "--max-baseline-age", "2s")
    assert post.returncode == 4, post
    assert "older than TASTER_MAX_BASELINE_AGE (--max-baseline-age) 2s" in post.stderr
    assert app.control.requests(since=before, namespace=app.name, method="PATCH") == [], "refused before touching anything"


def test_restore_after_a_failed_snapshot(app):
    assert app.run("pre-taste").returncode == 0
    uri = app.env["MONGODB_URI"]
    user, rest = uri.split("://", 1)[1].split("@", 1)
    wrong = "mongodb://" + user.split(":")[0] + ":Wr0ng-Pw-9Qz@" + rest
    post = app.run("post-taste", env={"MONGODB_URI": wrong})
    assert post.returncode == 3, post
    assert "authentication failed" in post.stderr.lower()
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "restored although the snapshot failed"
    assert not any(key.endswith("verdict.json") for key in app.objects())


def test_restore_command_scales_back_to_the_baseline(app):
    assert app.run("pre-taste").returncode == 0
    assert app.replicas() == {"mongo": 1, "pxbbq-web": 1}
    restored = app.run("restore")
    assert restored.returncode == 0, restored
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}
    assert app.run("restore").returncode == 0, "safe to run twice"


def test_run_id_from_the_argo_cd_sync(app):
    application = f"stage-{app.name}"
    app.control.put_objects({
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Application",
        "metadata": {"name": application, "namespace": "argocd"},
        "spec": {"destination": {"namespace": app.name}},
        "status": {"operationState": {"phase": "Running", "startedAt": "2026-11-21T10:00:00Z",
                                      "operation": {"sync": {"revision": "0123456789abcdef0123456789abcdef01234567"}}}},
    })
    env = {"TASTER_ARGOCD_APP": application}
    assert app.run("pre-taste", env=env).returncode == 0
    keys = app.run_keys()
    assert f"{app.prefix}/runs/sync-20261121T100000Z-0123456789ab/pre.json" in keys
    # Another pre-taste in between moves the pointer; post-taste still pairs with its own sync.
    assert app.run("pre-taste", env={"TASTER_RUN_ID": "someone-else"}).returncode == 0
    post = app.run("post-taste", env=env)
    assert post.returncode == 0, post
    assert f"{app.prefix}/runs/sync-20261121T100000Z-0123456789ab/verdict.json" in app.run_keys()


def test_sigterm_during_the_readiness_wait(app):
    app.control.workload(app.name, "deployment", "pxbbq-web", unready={"reason": "ImagePullBackOff", "message": "no such image"})
    pre = app.run("pre-taste", signal_when="wait until ready", sig=signal.SIGTERM, timeout=60)
    assert pre.returncode == 143, pre
    assert "SIGTERM" in pre.stderr
    assert app.run_keys() == [], "no report and no pointer"
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "what pre-taste scaled is put back"
    assert pre.seconds < 30


def test_sigterm_during_the_snapshot(app):
    big = app.db[f"{app.name}-big"]
    big.insert_many([{"n": i, "payload": "x" * 200} for i in range(60_000)])
    try:
        app.checks(f"checks:\n  - name: big\n    kind: fingerprint\n    collection: {big.name}\n    fields: [n, payload]\n")
        assert app.run("pre-taste").returncode == 0
        post = app.run("post-taste", signal_when="snapshot of", sig=signal.SIGTERM, timeout=60)
        assert post.returncode == 143, post
        assert not any(key.endswith(("post.json", "verdict.json")) for key in app.objects()), "no verdict from an interrupted run"
        assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}
    finally:
        app.db.drop_collection(big.name)


def test_sigterm_during_the_restore_is_not_a_pass(app):
    assert app.run("pre-taste").returncode == 0
    # post-taste's only scale calls are the restore's: slow the first one down and stop the run there.
    app.control.fault(method="PATCH", pathRegex=f"/namespaces/{app.name}/statefulsets/mongo/scale$", action="delay", seconds=3)
    post = app.run("post-taste", signal_when="verdict.html…", sig=signal.SIGTERM, timeout=60)
    assert post.returncode == 143, post
    assert post.termination_log.startswith("taster: ERROR post-taste (exit 143)"), post
    assert "taster: PASS" not in post.stdout, "an interrupted run prints no pass"
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "the restore still completes"


def test_a_sigterm_in_the_first_moments_is_never_lost(stack):
    """A Job can be deleted the moment its pod starts. A signal that came while taster was still
    setting up its handling used to be dropped, and the run went on to pass. Signals at many
    moments of the start, to a run that would otherwise wait 30 s for MongoDB: each one stops it
    at once, with 143 (or, before taster's handler exists, by the default action), never 0."""
    env = harness.base_env(stack, MONGODB_URI="mongodb://127.0.0.1:1/", TASTER_COLLECTIONS="orders",
                           TASTER_MONGO_WAIT="30s")
    outcomes = []
    for delay in [0, 0.002, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.1, 0.2] * 2:
        run = harness.run(["snapshot"], env, signal_after=delay, timeout=5)
        stopping = run.seconds - run.signalled
        outcomes.append((delay, run.returncode, round(stopping, 2)))
        assert run.returncode in (143, -signal.SIGTERM), (delay, run)
        assert stopping < 2, f"stopped {stopping:.1f}s after a SIGTERM at {delay}s:\n{run.stderr}"
    assert any(code == 143 for _, code, _ in outcomes), outcomes


def test_the_deadline_stops_a_wait(app):
    app.control.workload(app.name, "statefulset", "mongo", unready={"reason": "CrashLoopBackOff", "lastTerminationReason": "OOMKilled", "exitCode": 137})
    pre = app.run("pre-taste", env={"TASTER_DEADLINE": "4s", "TASTER_READY_TIMEOUT": "5m"}, timeout=60)
    assert pre.returncode == 3, pre
    assert pre.seconds < 30
    assert "deadline" in pre.stderr.lower() or "within" in pre.stderr
    assert app.run_keys() == []
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}


def test_the_ready_timeout_explains_the_pods(app):
    app.control.workload(app.name, "deployment", "pxbbq-web", unready={"reason": "ImagePullBackOff", "message": "Back-off pulling image"})
    pre = app.run("pre-taste", env={"TASTER_READY_TIMEOUT": "2s"}, timeout=60)
    assert pre.returncode == 3, pre
    assert "ImagePullBackOff" in pre.stderr
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}


def test_compare_files_and_s3_uris(app, tmp_path):
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 3})
    assert app.run("post-taste").returncode == 1
    bucket = app.stack["TASTER_BUCKET"]
    keys = app.run_keys()
    pre_key = next(k for k in keys if k.endswith("/pre.json"))
    post_key = next(k for k in keys if k.endswith("/post.json"))
    local = tmp_path / "post.json"
    local.write_bytes(app.objects()[post_key])
    html = tmp_path / "verdict.html"
    compared = app.run("compare", f"s3://{bucket}/{pre_key}", str(local), "--html", str(html))
    assert compared.returncode == 1, compared
    assert "FAIL" in compared.stdout and html.read_text().count("<table") == 1
    same = app.run("compare", f"s3://{bucket}/{pre_key}", f"s3://{bucket}/{pre_key}", "--output", "json")
    assert same.returncode == 0, same
    assert json.loads(same.stdout)["result"] == "pass"
    missing = app.run("compare", str(tmp_path / "nope.json"), str(local))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


def test_check_reports_every_dependency(app):
    result = app.run("check")
    assert result.returncode == 0, result
    for line in ("may scale statefulset/mongo", "may scale deployment/pxbbq-web", "connect", "list s3://", "put (create-only)"):
        assert line in result.stdout
    app.control.deny(verbs=["patch"], apiGroups=["apps"], resources=["deployments/scale"], namespaces=[app.name])
    try:
        denied = app.run("check")
    finally:
        app.control.clear_authz()
    assert denied.returncode == 3, denied
    assert 'resources: ["deployments/scale"]' in denied.stdout


def test_settings_errors_touch_nothing(app):
    before = app.control.mark()
    bad = app.run("pre-taste", env={"TASTER_WORKLOADS": "deployment/Web=x"})
    assert bad.returncode == 2 and "TASTER_WORKLOADS" in bad.stderr
    assert bad.termination_log.startswith("taster: ERROR pre-taste (exit 2): configuration error: TASTER_WORKLOADS"), \
        "Argo CD shows the termination message on the failed hook"
    assert app.control.requests(since=before, namespace=app.name) == [], "no Kubernetes call"
    assert app.run_keys() == [], "no upload"
