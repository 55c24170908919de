"""A standard output or error that nobody reads any more (`taster pre-taste | head -2`) or that is
closed (`>&-`) costs the output, never the work: every command, through the real binary, with
its stdout and then its stderr a pipe whose read end is closed (EPIPE, and SIGPIPE at its default
action as a shell leaves it), finishes its work and exits with the code its work earned."""
from __future__ import annotations

import json
import os
import stat
import subprocess
import time

import pytest

import harness

WARNING = "could not write to standard output"


def run_broken(app, *args: str, broken: str, env: dict | None = None, timeout: float = 120) -> harness.Run:
    """Runs taster with `broken` ("stdout" or "stderr") a pipe whose reader has gone, or with both
    descriptors closed ("closed"); the other stream is captured. Remembered for the secret scan."""
    run_env = dict(app.env)
    run_env.update(env or {})
    termination = app.tmp / f"termination-{time.monotonic_ns()}.log"
    termination.write_text("")
    run_env["TASTER_TERMINATION_LOG"] = str(termination)
    read_end, write_end = os.pipe()
    os.close(read_end)
    streams = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    preexec = None
    if broken == "closed":
        streams = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        preexec = lambda: (os.close(1), os.close(2))  # noqa: E731 - `taster ... >&- 2>&-`
    else:
        streams[broken] = write_end
    start = time.monotonic()
    try:
        # restore_signals (the default) gives the child SIGPIPE at its default action, as a shell does.
        process = subprocess.Popen([str(harness.binary()), *args], env=run_env, text=True, preexec_fn=preexec, **streams)
    finally:
        os.close(write_end)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise AssertionError(f"taster {' '.join(args)} did not finish within {timeout}s")
    result = harness.Run(list(args), run_env, process.returncode, stdout or "", stderr or "", time.monotonic() - start,
                         termination.read_text())
    app.runs.append(result)
    return result


def latest_pre(app) -> dict:
    return json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])


def assert_output_lost(run: harness.Run, broken: str) -> None:
    """A failed stdout is said once on stderr; a failed stderr is dropped silently."""
    if broken == "stdout":
        assert run.stderr.count(WARNING) == 1, run


@pytest.mark.parametrize("broken", ["stdout", "stderr"])
def test_hooks_store_the_baseline_and_restore_with_a_broken_stream(app, broken):
    pre = run_broken(app, "pre-taste", broken=broken)
    assert pre.returncode == 0, pre
    assert_output_lost(pre, broken)
    assert latest_pre(app)["runId"], "the baseline is stored and pointed at"
    assert app.replicas() == {"mongo": 1, "pxbbq-web": 1}
    assert pre.termination_log.startswith("taster: BASELINE"), pre
    if broken == "stderr":
        assert "taster: BASELINE" in pre.stdout

    app.orders.delete_one({"n": 5})
    post = run_broken(app, "post-taste", broken=broken)
    assert post.returncode == 1, f"the verdict decides the exit, not the output:\n{post}"
    assert_output_lost(post, broken)
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "restored"
    assert app.verdict()["result"] == "fail"
    assert post.termination_log.startswith("taster: FAIL"), post


@pytest.mark.parametrize("broken", ["stdout", "stderr"])
def test_restore_with_a_broken_stream(app, broken):
    assert app.run("pre-taste").returncode == 0
    restored = run_broken(app, "restore", broken=broken)
    assert restored.returncode == 0, restored
    assert_output_lost(restored, broken)
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}
    assert restored.termination_log.startswith("taster: RESTORED"), restored


def test_closed_descriptors_do_not_stop_the_hooks(app):
    """`>&- 2>&-`: with 1 and 2 closed, the next descriptors taster opened (its signal pipe, a
    socket) would take their numbers and receive the log lines."""
    pre = run_broken(app, "pre-taste", broken="closed")
    assert pre.returncode == 0, pre
    assert latest_pre(app)["runId"]
    assert app.replicas() == {"mongo": 1, "pxbbq-web": 1}
    post = run_broken(app, "post-taste", broken="closed")
    assert post.returncode == 0, post
    assert post.termination_log.startswith("taster: PASS"), post
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}
    snapshot = run_broken(app, "snapshot", broken="closed")
    assert snapshot.returncode == 0, snapshot


def job(app, name: str, outcome: str) -> None:
    app.control.job(app.name, name, outcome=outcome, logs=[f"line {i}" for i in range(50)], exitCode=2)
    status, body, _ = app.control.kube("POST", f"/apis/batch/v1/namespaces/{app.name}/jobs", {
        "apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
        "spec": {"backoffLimit": 0, "template": {"spec": {"restartPolicy": "Never",
                                                          "containers": [{"name": "test", "image": "busybox:1.36"}]}}}})
    assert status == 201, body


def job_exists(app, name: str) -> bool:
    status, _, _ = app.control.kube("GET", f"/apis/batch/v1/namespaces/{app.name}/jobs/{name}")
    return status == 200


@pytest.mark.parametrize("broken", ["stdout", "stderr"])
def test_tools_with_a_broken_stream(app, broken, tmp_path):
    """snapshot, compare, check (and --show-settings), await-job, help, version and a usage
    error: each exits with the code its work earned."""
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 7})
    assert app.run("post-taste").returncode == 1
    keys = app.run_keys()
    bucket = app.stack["TASTER_BUCKET"]
    pre_uri = "s3://" + bucket + "/" + next(k for k in keys if k.endswith("/pre.json"))
    post_uri = "s3://" + bucket + "/" + next(k for k in keys if k.endswith("/post.json"))

    expected = [
        (["snapshot"], 0),
        (["snapshot", "--output", "json"], 0),
        (["compare", pre_uri, post_uri], 1),
        (["compare", pre_uri, pre_uri, "--output", "json"], 0),
        (["check"], 0),
        (["check", "--show-settings"], 0),
        (["--help"], 0),
        (["--version"], 0),
        (["post-taste", "--help"], 0),
        (["snapshot", "--no-such-flag"], 2),
    ]
    for args, code in expected:
        result = run_broken(app, *args, broken=broken)
        assert result.returncode == code, result
        if code in (0, 1):
            assert_output_lost(result, broken)
        if broken == "stderr" and code in (0, 1):
            assert result.stdout, f"standard output still works:\n{result}"

    html = tmp_path / "verdict.html"
    compared = run_broken(app, "compare", pre_uri, post_uri, "--html", str(html), broken=broken)
    assert compared.returncode == 1 and "<table" in html.read_text(), compared

    job(app, "passes", "succeed")
    awaited = run_broken(app, "await-job", "passes", "--namespace", app.name, "--timeout", "60s", broken=broken)
    assert awaited.returncode == 0, awaited
    assert_output_lost(awaited, broken)
    assert not job_exists(app, "passes"), "a succeeded Job is still deleted"
    job(app, "fails", "fail")
    awaited = run_broken(app, "await-job", "fails", "--namespace", app.name, "--timeout", "60s", broken=broken)
    assert awaited.returncode == 1, awaited
    assert job_exists(app, "fails"), "a failed Job is kept"


def test_an_exec_plugin_starts_with_sigpipe_at_its_default(app, tmp_path):
    """taster ignores SIGPIPE; a credential plugin it starts must not inherit that (a plugin that
    pipes into `head` would otherwise write on forever)."""
    plugin = tmp_path / "plugin.sh"
    plugin.write_text(f"""#!/bin/sh
ignored=$(awk '/^SigIgn:/ {{print $2}}' /proc/self/status)
if [ $(( 0x$ignored & 0x1000 )) -ne 0 ]; then echo "plugin: SIGPIPE is ignored (SigIgn $ignored)" >&2; exit 1; fi
printf '{{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{{"token":"%s"}}}}' '{app.stack["TESTENV_KUBE_TOKEN"]}'
""")
    plugin.chmod(plugin.stat().st_mode | stat.S_IXUSR)
    config = json.loads(open(app.env["KUBECONFIG"]).read())
    config["users"][0]["user"] = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin),
                                           "interactiveMode": "Never"}}
    kubeconfig = tmp_path / "kubeconfig"
    kubeconfig.write_text(json.dumps(config))
    checked = app.run("check", env={"KUBECONFIG": str(kubeconfig)})
    assert checked.returncode == 0, checked
    assert "SIGPIPE is ignored" not in checked.stderr
