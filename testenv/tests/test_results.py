"""Results people look at, end to end through the binary: the verdict page in S3, the Event on
the hook's own Job (and a 403 that changes nothing), and notifications to a local receiver —
including one that is down."""
from __future__ import annotations

import json
import socket
import time


import harness
from recorder import Recorder


def hook_pod(app, job: str = "post-taste") -> str:
    """Starts a long-running Job in the app's namespace (as Argo CD would start the hook) and
    returns the name of its pod, which carries the Job as its owner."""
    app.control.job(app.name, job, outcome="succeed", runSeconds=120, logs=["tasting"])
    status, body, _ = app.control.kube("POST", f"/apis/batch/v1/namespaces/{app.name}/jobs", {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": job},
        "spec": {"template": {"spec": {"restartPolicy": "Never", "containers": [{"name": "taster", "image": "taster:0.1.0"}]}}}})
    assert status == 201, body
    for _ in range(100):
        status, pods, _ = app.control.kube("GET", f"/api/v1/namespaces/{app.name}/pods?labelSelector=job-name%3D{job}")
        if pods.get("items"):
            return pods["items"][0]["metadata"]["name"]
        time.sleep(0.05)
    raise AssertionError("the Job's pod never appeared")


def events(app) -> list[dict]:
    status, body, _ = app.control.kube("GET", f"/api/v1/namespaces/{app.name}/events")
    assert status == 200, body
    return body["items"]


def test_the_verdict_page_is_stored_as_html(app):
    assert app.run("pre-taste").returncode == 0
    assert app.run("post-taste").returncode == 0
    page_key = next(key for key in app.objects() if key.endswith("verdict.html"))
    head = harness.s3_client(app.stack).head_object(Bucket=app.stack["TASTER_BUCKET"], Key=page_key)
    assert head["ContentType"] == "text/html; charset=utf-8"
    page = app.objects()[page_key].decode()
    assert 'id="comparison"' in page and "PASS" in page and "<script" not in page.lower()


def test_history_of_earlier_runs_on_the_page(app):
    s3, bucket = harness.s3_client(app.stack), app.stack["TASTER_BUCKET"]
    for round_ in range(4):
        assert app.run("pre-taste", env={"TASTER_RUN_ID": f"r{round_}"}).returncode == 0
        if round_ == 1:
            app.orders.delete_one({"n": round_})
        assert app.run("post-taste").returncode == (1 if round_ == 1 else 0)
    # The runs the history reads are the ones recent-runs.json names (newest first), not a listing.
    recent = json.loads(app.objects()[f"{app.prefix}/recent-runs.json"])
    assert recent["total"] == 4 and [r["runId"] for r in recent["runs"]] == ["r3", "r2", "r1", "r0"], recent
    # An earlier verdict that cannot be read is skipped and named.
    s3.put_object(Bucket=bucket, Key=f"{app.prefix}/runs/r0/verdict.json", Body=b"{")
    assert app.run("pre-taste", env={"TASTER_RUN_ID": "r4"}).returncode == 0
    assert app.run("post-taste").returncode == 0
    page = app.objects()[f"{app.prefix}/runs/r4/verdict.html"].decode()
    assert "3 earlier runs" in page
    assert "r0 (not JSON)" in page
    assert page.count("<circle") >= 4 * 2, "a point per run for the count checks"
    # recent-runs.json that cannot be read: the runs are listed once and it is built again.
    s3.put_object(Bucket=bucket, Key=f"{app.prefix}/recent-runs.json", Body=b"{")
    assert app.run("pre-taste", env={"TASTER_RUN_ID": "r5"}).returncode == 0
    post = app.run("post-taste")
    assert post.returncode == 0 and "recent-runs.json cannot be read" in post.stderr, post
    assert "4 earlier runs" in app.objects()[f"{app.prefix}/runs/r5/verdict.html"].decode()
    assert json.loads(app.objects()[f"{app.prefix}/recent-runs.json"])["total"] == 6


def test_an_event_on_the_hook_job(app):
    pod = hook_pod(app)
    assert app.run("pre-taste").returncode == 0
    env = {"POD_NAME": pod, "POD_NAMESPACE": app.name}
    assert app.run("post-taste", env=env).returncode == 0
    found = [e for e in events(app) if e.get("reason") == "TastePassed"]
    assert len(found) == 1, events(app)
    assert found[0]["involvedObject"]["kind"] == "Job" and found[0]["involvedObject"]["name"] == "post-taste"
    assert found[0]["message"].startswith("taster: PASS") and found[0]["type"] == "Normal"


def test_a_failed_taste_is_a_warning_event(app):
    pod = hook_pod(app)
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 1})
    assert app.run("post-taste", env={"POD_NAME": pod, "POD_NAMESPACE": app.name}).returncode == 1
    found = [e for e in events(app) if e.get("reason") == "TasteFailed"]
    assert len(found) == 1 and found[0]["type"] == "Warning" and "FAIL" in found[0]["message"]


def test_a_forbidden_event_changes_nothing(app):
    pod = hook_pod(app)
    assert app.run("pre-taste").returncode == 0
    app.control.deny(verbs=["create"], resources=["events"], namespaces=[app.name])
    try:
        post = app.run("post-taste", env={"POD_NAME": pod, "POD_NAMESPACE": app.name})
    finally:
        app.control.clear_authz()
    assert post.returncode == 0, post
    assert post.stderr.count("cannot record Kubernetes Events") == 1
    assert not [e for e in events(app) if e.get("reason", "").startswith("Taste")]


def test_a_failure_notification(app):
    with Recorder("/services/T0/B0/notifyTokenXYZ123") as receiver:
        assert app.run("pre-taste").returncode == 0
        app.orders.delete_one({"n": 2})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url})
    assert post.returncode == 1, post
    assert len(receiver.received) == 1
    body = receiver.received[0]["body"]
    assert receiver.received[0]["type"] == "application/json"
    assert body["result"] == "fail" and body["app"] == app.name and body["summary"].startswith("taster: FAIL")
    assert body["failedChecks"][0]["delta"] == "-1"
    assert body["reports"]["verdict"].startswith("s3://") and body["reports"]["page"].endswith("verdict.html")
    assert "notifyTokenXYZ123" not in post.output, "the receiver's URL is a secret"


def test_a_pass_is_not_notified_unless_asked_and_slack_format(app):
    with Recorder("/services/T0/B0/notifyTokenXYZ123") as receiver:
        assert app.run("pre-taste").returncode == 0
        assert app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url}).returncode == 0
        assert receiver.received == [], "only failures by default"
        assert app.run("pre-taste").returncode == 0
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url, "TASTER_NOTIFY_ON": "always",
                                          "TASTER_NOTIFY_FORMAT": "slack"})
    assert post.returncode == 0, post
    assert len(receiver.received) == 1
    assert receiver.received[0]["body"]["text"].startswith(":white_check_mark: taster: PASS")


def test_a_receiver_that_is_down_does_not_change_the_verdict(app):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 2})
    started = time.monotonic()
    post = app.run("post-taste", env={"TASTER_NOTIFY_URL": f"http://127.0.0.1:{port}/hook/secretPathToken77"})
    assert post.returncode == 1, post
    assert "could not send the notification to http://127.0.0.1:" in post.stderr
    assert "secretPathToken77" not in post.output
    assert app.verdict()["result"] == "fail"
    assert time.monotonic() - started < 30


def test_a_failing_receiver_answer_is_reported(app):
    with Recorder(status=500) as receiver:
        assert app.run("pre-taste").returncode == 0
        app.orders.delete_one({"n": 2})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url})
    assert post.returncode == 1
    assert len(receiver.received) == 3, "retried briefly"
    assert "answered HTTP 500" in post.stderr or "could not send the notification" in post.stderr


CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--disable-default-apps", "--no-first-run", "--metrics-recording-only",
                  "--disable-features=Translate,MediaRouter,OptimizationHints", "--user-data-dir={profile}"]


def test_a_headless_browser_renders_the_page_and_finds_the_table(app, tmp_path):
    import shutil
    import subprocess
    chromium = shutil.which("chromium")
    assert chromium, "chromium is not installed (make test installs Debian's package)"
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 4})
    assert app.run("post-taste").returncode == 1
    page = tmp_path / "verdict.html"
    page.write_bytes(next(body for key, body in app.objects().items() if key.endswith("verdict.html")))
    flags = [flag.format(profile=tmp_path / "profile") for flag in CHROMIUM_FLAGS]
    dom = subprocess.run([chromium, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert '<table id="comparison">' in dom, dom[:2000]
    assert dom.count("<tr") == 1 + 2, "a header row and one row per check"
    assert 'class="result fail"' in dom and "1 fewer, rule equal" in dom
