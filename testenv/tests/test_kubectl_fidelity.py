"""The kubectl fidelity suite: real kubectl (from the venv) against the emulator must behave as
it does against a cluster. Each test works in a namespace of its own."""
from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import pytest

from kube import apply, deployment, job, kubectl, statefulset, wait_for

NO_WATCHLIST = {"KUBE_FEATURE_WatchListClient": "false"}
CLIENTS = pytest.mark.parametrize("client_env", [{}, NO_WATCHLIST], ids=["watchlist", "list-watch"])


def header(output: str) -> list[str]:
    return output.splitlines()[0].split()


# -- get ---------------------------------------------------------------------------------------

def test_get_prints_the_columns_of_a_cluster(stack, emu, ns):
    emu.settings()  # the stack's defaults
    apply(stack, deployment("web", ns, replicas=2))
    apply(stack, statefulset("db", ns, replicas=1))
    wait_for(lambda: "2/2" in kubectl(stack, "get", "deploy", "web", "-n", ns).stdout, what="web ready")
    deploy = kubectl(stack, "get", "deployments", "-n", ns)
    assert header(deploy.stdout) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert deploy.stdout.splitlines()[1].split()[:4] == ["web", "2/2", "2", "2"]
    wide = kubectl(stack, "get", "deployments", "-n", ns, "-o", "wide")
    assert header(wide.stdout) == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]
    assert "nginx:1.27" in wide.stdout and "app=web" in wide.stdout
    wait_for(lambda: "1/1" in kubectl(stack, "get", "sts", "db", "-n", ns).stdout, what="db ready")
    assert header(kubectl(stack, "get", "statefulsets", "-n", ns).stdout) == ["NAME", "READY", "AGE"]
    pods = kubectl(stack, "get", "pods", "-n", ns)
    assert header(pods.stdout) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    rows = [line.split() for line in pods.stdout.splitlines()[1:]]
    assert sorted(r[0] for r in rows if r[0].startswith("db-")) == ["db-0"]
    assert all(r[1:4] == ["1/1", "Running", "0"] for r in rows)
    everything = kubectl(stack, "get", "all", "-n", ns)
    assert "deployment.apps/web" in everything.stdout and "statefulset.apps/db" in everything.stdout
    assert "replicaset.apps/web-" in everything.stdout


def test_get_json_and_yaml(stack, ns):
    apply(stack, deployment("web", ns))
    listed = json.loads(kubectl(stack, "get", "deployments", "-n", ns, "-o", "json").stdout)
    assert listed["kind"] == "List" and listed["items"][0]["kind"] == "Deployment"
    one = json.loads(kubectl(stack, "get", "deployment", "web", "-n", ns, "-o", "json").stdout)
    assert one["apiVersion"] == "apps/v1" and one["metadata"]["generation"] == 1
    assert one["spec"]["strategy"]["type"] == "RollingUpdate"  # defaulted by the API, as in a cluster
    assert int(one["metadata"]["resourceVersion"]) > 0
    yaml = kubectl(stack, "get", "deployment", "web", "-n", ns, "-o", "yaml").stdout
    assert "kind: Deployment" in yaml and "name: web" in yaml
    jsonpath = kubectl(stack, "get", "deployment", "web", "-n", ns, "-o", "jsonpath={.spec.replicas}")
    assert jsonpath.stdout == "0"


def test_get_missing_and_label_selectors(stack, ns):
    apply(stack, deployment("a", ns, labels={"app": "a", "tier": "web"}))
    apply(stack, deployment("b", ns, labels={"app": "b", "tier": "db"}))
    names = lambda *args: kubectl(stack, "get", "deploy", "-n", ns, "-o", "name", *args).stdout.split()  # noqa: E731
    assert names("-l", "tier=web") == ["deployment.apps/a"]
    assert names("-l", "tier in (web,db)") == ["deployment.apps/a", "deployment.apps/b"]
    assert names("-l", "tier notin (web)") == ["deployment.apps/b"]
    assert names("--field-selector", "metadata.name=b") == ["deployment.apps/b"]
    missing = kubectl(stack, "get", "deploy", "nope", "-n", ns)
    assert missing.returncode == 1 and 'deployments.apps "nope" not found' in missing.stderr


# -- create, apply -----------------------------------------------------------------------------

def test_create_and_apply_with_validation(stack, ns):
    manifest = deployment("web", ns, replicas=1)
    created = kubectl(stack, "apply", "-f", "-", input=json.dumps(manifest))
    assert created.returncode == 0, created.stderr
    assert "deployment.apps/web created" in created.stdout
    manifest["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.28"
    changed = kubectl(stack, "apply", "-f", "-", input=json.dumps(manifest))
    assert changed.returncode == 0 and "configured" in changed.stdout, changed.stderr
    again = kubectl(stack, "apply", "-f", "-", input=json.dumps(manifest))
    assert "unchanged" in again.stdout
    stored = json.loads(kubectl(stack, "get", "deploy", "web", "-n", ns, "-o", "json").stdout)
    assert stored["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert stored["metadata"]["generation"] == 2
    assert "kubectl.kubernetes.io/last-applied-configuration" in stored["metadata"]["annotations"]
    typo = dict(manifest, metadata=dict(manifest["metadata"], name="typo"), specs={})
    rejected = kubectl(stack, "create", "-f", "-", input=json.dumps(typo))
    assert rejected.returncode == 1 and 'unknown field "specs"' in rejected.stderr
    exists = kubectl(stack, "create", "-f", "-", input=json.dumps(manifest))
    assert exists.returncode == 1 and 'deployments.apps "web" already exists' in exists.stderr


# -- scale -------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,make", [("deployment", deployment), ("statefulset", statefulset)])
def test_scale(stack, emu, ns, kind, make):
    apply(stack, make("app", ns, replicas=1))
    mark = emu.mark()
    scaled = kubectl(stack, "scale", f"{kind}/app", "-n", ns, "--replicas=3")
    assert scaled.returncode == 0 and f"{kind}.apps/app scaled" in scaled.stdout, scaled.stderr
    patches = emu.requests(since=mark, verb="patch", subresource="scale")
    assert [r["headers"]["Content-Type"] for r in patches] == ["application/merge-patch+json"]
    obj = json.loads(kubectl(stack, "get", kind, "app", "-n", ns, "-o", "json").stdout)
    assert obj["spec"]["replicas"] == 3 and obj["metadata"]["generation"] == 2
    wrong = kubectl(stack, "scale", f"{kind}/app", "-n", ns, "--replicas=1", "--current-replicas=2")
    assert wrong.returncode == 1 and "Expected replicas to be 2, was 3" in wrong.stderr
    mark = emu.mark()
    right = kubectl(stack, "scale", f"{kind}/app", "-n", ns, "--replicas=0", "--current-replicas=3")
    assert right.returncode == 0, right.stderr
    # With a precondition kubectl reads the Scale and PUTs it back with its resourceVersion.
    assert [r["method"] for r in emu.requests(since=mark, subresource="scale")] == ["GET", "PUT"]


# -- rollout status ----------------------------------------------------------------------------

def start_rollout_status(stack, kind: str, ns: str, env: dict, timeout: str = "30s") -> subprocess.Popen:
    import os
    return subprocess.Popen([str(Path(stack["TESTENV_BIN"]) / "kubectl"), "rollout", "status", f"{kind}/app", "-n", ns,
                             f"--timeout={timeout}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env})


def wait_for_watch(emu, ns: str, mark: int) -> dict:
    return wait_for(lambda: next(iter(emu.requests(since=mark, namespace=ns, verb="watch")), None),
                    what="kubectl's watch")


@CLIENTS
@pytest.mark.parametrize("kind,make", [("deployment", deployment), ("statefulset", statefulset)])
def test_rollout_status_finishes_when_the_controller_reports_ready(stack, emu, ns, kind, make, client_env):
    apply(stack, make("app", ns, replicas=0))
    emu.workload(ns, kind, "app", readyDelaySeconds=None)  # ready only when told
    kubectl(stack, "scale", f"{kind}/app", "-n", ns, "--replicas=2")
    mark = emu.mark()
    process = start_rollout_status(stack, kind, ns, client_env)
    watch = wait_for_watch(emu, ns, mark)
    if client_env:
        assert "sendInitialEvents" not in watch["query"] and watch["query"]["resourceVersion"] != ""
    else:
        assert watch["query"]["sendInitialEvents"] == "true"
        assert watch["query"]["resourceVersionMatch"] == "NotOlderThan"
    assert watch["query"]["fieldSelector"] == "metadata.name=app"
    time.sleep(0.3)
    assert process.poll() is None, process.communicate()
    emu.ready(ns, kind, "app")
    out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "successfully rolled out" in out or "roll out complete" in out


@CLIENTS
@pytest.mark.parametrize("kind,make", [("deployment", deployment), ("statefulset", statefulset)])
def test_rollout_status_times_out_on_a_workload_held_unready(stack, emu, ns, kind, make, client_env):
    apply(stack, make("app", ns, replicas=0))
    emu.workload(ns, kind, "app", unready={"reason": "ImagePullBackOff"})
    kubectl(stack, "scale", f"{kind}/app", "-n", ns, "--replicas=1")
    started = time.monotonic()
    result = kubectl(stack, "rollout", "status", f"{kind}/app", "-n", ns, "--timeout=2s", env=client_env)
    assert result.returncode == 1
    assert "timed out waiting for the condition" in result.stderr
    assert 1.5 < time.monotonic() - started < 8
    pods = kubectl(stack, "get", "pods", "-n", ns)
    assert "ImagePullBackOff" in pods.stdout and "0/1" in pods.stdout


# -- logs, jobs --------------------------------------------------------------------------------

def test_logs_and_follow_a_running_job(stack, emu, ns):
    lines = [f"step {i}" for i in range(6)]
    emu.job(ns, "itest", logs=lines, lineIntervalSeconds=0.25)
    apply(stack, job("itest", ns))
    pod = wait_for(lambda: kubectl(stack, "get", "pods", "-n", ns, "-l", "job-name=itest", "-o", "name").stdout.strip(),
                   what="the job's pod")
    wait_for(lambda: "Running" in kubectl(stack, "get", pod, "-n", ns).stdout, what="pod running")
    started = time.monotonic()
    followed = kubectl(stack, "logs", "-f", "job/itest", "-n", ns)
    assert followed.returncode == 0, followed.stderr
    assert followed.stdout.splitlines() == lines
    assert time.monotonic() - started > 0.5  # it streamed while lines were written, then ended with the container
    plain = kubectl(stack, "logs", pod, "-n", ns, "--timestamps", "--tail=2")
    stamped = plain.stdout.splitlines()
    assert [line.split(" ", 1)[1] for line in stamped] == lines[-2:]
    assert stamped[0][:4].isdigit() and stamped[0].split(" ")[0].endswith("Z")


def test_wait_for_job_complete_and_delete_with_cascade(stack, emu, ns):
    emu.job(ns, "itest", logs=["ok"], runSeconds=0.3)
    apply(stack, job("itest", ns))
    waited = kubectl(stack, "wait", "--for=condition=complete", "job/itest", "-n", ns, "--timeout=20s")
    assert waited.returncode == 0 and "condition met" in waited.stdout, waited.stderr
    table = kubectl(stack, "get", "jobs", "-n", ns)
    assert header(table.stdout) == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert table.stdout.splitlines()[1].split()[:3] == ["itest", "Complete", "1/1"]
    assert kubectl(stack, "get", "pods", "-n", ns, "-o", "name").stdout.strip()
    deleted = kubectl(stack, "delete", "job", "itest", "-n", ns, "--cascade=background")
    assert deleted.returncode == 0, deleted.stderr
    wait_for(lambda: kubectl(stack, "get", "pods", "-n", ns, "-o", "name").stdout.strip() == "", what="pods gone")


def test_wait_for_a_failing_job(stack, emu, ns):
    emu.job(ns, "broken", outcome="fail", logs=["boom"], exitCode=3)
    apply(stack, job("broken", ns))
    failed = kubectl(stack, "wait", "--for=condition=failed", "job/broken", "-n", ns, "--timeout=20s")
    assert failed.returncode == 0, failed.stderr
    pods = kubectl(stack, "get", "pods", "-n", ns)
    assert "Error" in pods.stdout
    assert kubectl(stack, "logs", "job/broken", "-n", ns).stdout == "boom\n"


# -- authorization -----------------------------------------------------------------------------

def test_auth_can_i_and_whoami(stack, emu, ns):
    assert kubectl(stack, "auth", "can-i", "patch", "deployments", "--subresource=scale", "-n", ns).stdout.strip() == "yes"
    emu.deny(verbs=["patch"], apiGroups=["apps"], resources=["deployments/scale"], namespaces=[ns])
    try:
        denied = kubectl(stack, "auth", "can-i", "patch", "deployments", "--subresource=scale", "-n", ns)
        assert denied.returncode == 1 and denied.stdout.strip() == "no"
        apply(stack, deployment("web", ns))
        refused = kubectl(stack, "scale", "deploy/web", "-n", ns, "--replicas=1")
        assert refused.returncode == 1
        assert (f'deployments.apps "web" is forbidden: User "{stack["TESTENV_KUBE_USER"]}" cannot patch resource '
                f'"deployments/scale" in API group "apps" in the namespace "{ns}"') in refused.stderr
    finally:
        emu.clear_authz()
    who = kubectl(stack, "auth", "whoami", "-o", "json")
    assert json.loads(who.stdout)["status"]["userInfo"]["username"] == stack["TESTENV_KUBE_USER"]


def test_wrong_token_is_unauthorized(stack):
    result = kubectl(stack, "--token=not-the-token", "get", "pods")
    assert result.returncode == 1 and "Unauthorized" in result.stderr
