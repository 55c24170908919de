"""Metrics end to end (docs/metrics.md): each hook pushes its run to Debian's real
prometheus-pushgateway, a real prometheus scrapes it with the alert rules that ship
(kustomize/components/prometheus-alerts) loaded, and a failed post-taste is a series and a
firing alert in Prometheus's HTTP API. A Pushgateway that is down or answers 500 costs a warning,
never the verdict."""
from __future__ import annotations

import json
import socket
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import stack as teststack
from recorder import Recorder

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "kustomize" / "components" / "prometheus-alerts" / "prometheusrule.yaml"


def rules_file() -> str:
    """The PrometheusRule's spec (`groups:`), the plain rules file Prometheus loads: the lines
    under `spec:`, dedented."""
    lines = RULES.read_text().splitlines()
    start = lines.index("spec:") + 1
    return "\n".join(line[2:] for line in lines[start:]) + "\n"


class Prometheus:
    def __init__(self, tmp: Path):
        rules = tmp / "taster-alerts.rules.yaml"
        rules.write_text(rules_file())
        self.gateway_port, self.port = teststack.free_port(), teststack.free_port()
        self.gateway = f"http://127.0.0.1:{self.gateway_port}"
        self.url = f"http://127.0.0.1:{self.port}"
        self.processes = [teststack.start_pushgateway(self.gateway_port, tmp / "pushgateway.log")]
        teststack.wait_until(lambda: teststack.http_ok(self.gateway + "/-/ready"), 30, "the pushgateway",
                             self.processes[0], tmp / "pushgateway.log")
        self.processes.append(teststack.start_prometheus(self.port, f"127.0.0.1:{self.gateway_port}", tmp / "prometheus",
                                                         tmp / "prometheus.log", rule_files=[rules]))
        teststack.wait_until(lambda: teststack.http_ok(self.url + "/-/ready"), 60, "prometheus",
                             self.processes[1], tmp / "prometheus.log")

    def stop(self):
        for process in self.processes:
            teststack.stop_pid(process.pid)

    def query(self, expression: str) -> list[dict]:
        url = self.url + "/api/v1/query?" + urllib.parse.urlencode({"query": expression})
        with urllib.request.urlopen(url, timeout=5) as response:
            body = json.load(response)
        assert body["status"] == "success", body
        return body["data"]["result"]

    def eventually(self, expression: str, timeout: float = 30) -> list[dict]:
        deadline = time.monotonic() + timeout
        while True:
            found = self.query(expression)
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.5)

    def rule(self, name: str) -> dict:
        with urllib.request.urlopen(self.url + "/api/v1/rules", timeout=5) as response:
            groups = json.load(response)["data"]["groups"]
        [rule] = [r for g in groups for r in g["rules"] if r.get("name") == name]
        return rule

    def pushed(self) -> str:
        with urllib.request.urlopen(self.gateway + "/metrics", timeout=5) as response:
            return response.read().decode()


@pytest.fixture(scope="module")
def prometheus(tmp_path_factory):
    server = Prometheus(tmp_path_factory.mktemp("prometheus"))
    yield server
    server.stop()


def value(series: list[dict]) -> float:
    [one] = series
    return float(one["value"][1])


def test_a_failed_post_taste_is_a_firing_alert_in_prometheus(app, prometheus):
    env = {"TASTER_PUSHGATEWAY_URL": prometheus.gateway}
    pre = app.run("pre-taste", env=env)
    assert pre.returncode == 0, pre
    app.orders.delete_one({"n": 2})
    post = app.run("post-taste", env=env)
    assert post.returncode == 1, post
    assert "metrics pushed to" in post.stderr

    labels = f'job="taster", app="{app.name}", namespace="{app.name}"'
    fired = prometheus.eventually(f'ALERTS{{alertname="TasterDataCheckFailed", app="{app.name}", alertstate="firing"}}')
    assert fired and fired[0]["metric"]["namespace"] == app.name, fired
    # The alert's own expression, as Prometheus loaded it from the rules that ship.
    expression = prometheus.rule("TasterDataCheckFailed")["query"]
    assert [r["metric"]["app"] for r in prometheus.query(expression)].count(app.name) == 1

    assert value(prometheus.query(f'taster_run_result{{{labels}, phase="post-taste", result="fail"}}')) == 1
    assert value(prometheus.query(f'taster_run_result{{{labels}, phase="post-taste", result="pass"}}')) == 0
    assert value(prometheus.query(f'taster_run_result{{{labels}, phase="pre-taste", result="pass"}}')) == 1
    orders = f'check="{app.orders.name}"'
    assert value(prometheus.query(f'taster_check_value{{{labels}, phase="pre-taste", {orders}}}')) == 200
    assert value(prometheus.query(f'taster_check_value{{{labels}, phase="post-taste", {orders}}}')) == 199
    assert value(prometheus.query(f'taster_check_failed{{{labels}, phase="post-taste", {orders}}}')) == 1
    registrations = f'check="{app.registrations.name}"'
    assert value(prometheus.query(f'taster_check_failed{{{labels}, phase="post-taste", {registrations}}}')) == 0
    duration = value(prometheus.query(f'taster_run_duration_seconds{{{labels}, phase="post-taste"}}'))
    assert 0 < duration < post.seconds + 1
    ended = value(prometheus.query(f'taster_run_timestamp_seconds{{{labels}, phase="post-taste"}}'))
    assert abs(ended - time.time()) < 120
    # Only a run that passed sets the last success: pre-taste did, post-taste did not.
    assert prometheus.query(f'taster_last_success_timestamp_seconds{{{labels}, phase="pre-taste"}}')
    assert not prometheus.query(f'taster_last_success_timestamp_seconds{{{labels}, phase="post-taste"}}')
    assert "# TYPE taster_run_result gauge" in prometheus.pushed()


def test_a_later_failure_keeps_the_last_success(app, prometheus):
    env = {"TASTER_PUSHGATEWAY_URL": prometheus.gateway}
    assert app.run("pre-taste", env=env).returncode == 0
    assert app.run("post-taste", env=env).returncode == 0
    labels = f'job="taster", app="{app.name}", phase="post-taste"'
    passed = prometheus.eventually(f'taster_last_success_timestamp_seconds{{{labels}}}')
    assert passed, "a pass sets the last success"
    assert app.run("pre-taste", env=env).returncode == 0
    app.orders.delete_one({"n": 3})
    assert app.run("post-taste", env=env).returncode == 1
    assert prometheus.eventually(f'taster_run_result{{{labels}, result="fail"}} == 1')
    assert value(prometheus.query(f'taster_last_success_timestamp_seconds{{{labels}}}')) == value(passed)


def test_an_error_is_pushed_as_error(app, prometheus):
    """post-taste with no baseline: no_baseline; with MongoDB unreachable: error."""
    env = {"TASTER_PUSHGATEWAY_URL": prometheus.gateway, "TASTER_RUN_ID": "never-pre-tasted"}
    assert app.run("post-taste", env=env).returncode == 4
    labels = f'job="taster", app="{app.name}", phase="post-taste"'
    assert prometheus.eventually(f'taster_run_result{{{labels}, result="no_baseline"}} == 1')
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env["MONGODB_URI"] = f"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=300"
    env["TASTER_MONGO_WAIT"] = "1s"
    env["TASTER_RUN_ID"] = "db-down"
    run = app.run("pre-taste", env=env)
    assert run.returncode == 3, run
    assert prometheus.eventually(f'taster_run_result{{job="taster", app="{app.name}", phase="pre-taste", result="error"}} == 1')


def test_a_pushgateway_that_answers_500_or_is_down_leaves_the_verdict(app):
    gateway = Recorder(status=500)
    try:
        token = "pushTokenQ7w8e9r0t1y2"
        assert app.run("pre-taste", env={"TASTER_PUSHGATEWAY_URL": gateway.url, "TASTER_PUSHGATEWAY_TOKEN": token}).returncode == 0
        app.orders.delete_one({"n": 2})
        post = app.run("post-taste", env={"TASTER_PUSHGATEWAY_URL": gateway.url, "TASTER_PUSHGATEWAY_TOKEN": token})
    finally:
        gateway.close()
    assert post.returncode == 1, post
    assert app.verdict()["result"] == "fail"
    assert post.stderr.count("could not push the metrics to the Pushgateway") == 1, post
    assert "answered HTTP 500" in post.stderr
    assert gateway.received and all(r["authorization"] == f"Bearer {token}" for r in gateway.received)
    assert gateway.received[-1]["path"] == f"/metrics/job/taster/app/{app.name}/namespace/{app.name}/phase/post-taste"
    assert token not in post.output

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 3})
    started = time.monotonic()
    down = app.run("post-taste", env={"TASTER_PUSHGATEWAY_URL": f"http://127.0.0.1:{port}"})
    assert down.returncode == 1, down
    assert down.stderr.count("could not push the metrics to the Pushgateway") == 1, down
    assert time.monotonic() - started < 60
