"""Each command needs only what it uses, and the namespace and report prefix are resolved once:
restore (the SyncFail hook) puts the replicas back whatever the MongoDB settings say; compare of
two files needs no settings but the checks file; check probes exactly the prefix pre-taste
writes, also when the namespace comes from the kubeconfig's context."""
from __future__ import annotations

import json

import harness

BROKEN_DATABASE = {
    "MONGODB_URI": "mongodb://taster:Broken@Secret@127.0.0.1:1/",
    "TASTER_DATABASE": "not/a/database",
    "TASTER_COLLECTIONS": "orders,,x",
    "TASTER_MONGO_WAIT": "soon",
    "TASTER_CHECKS": "/nonexistent/checks.yaml",
    "TASTER_NOTIFY_FORMAT": "teams",
}


def test_restore_puts_the_replicas_back_whatever_the_mongodb_settings_say(app):
    assert app.run("pre-taste").returncode == 0
    assert app.replicas() == {"mongo": 1, "pxbbq-web": 1}
    restore = app.run("restore", env=BROKEN_DATABASE)
    assert restore.returncode == 0, restore
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}
    assert restore.termination_log.startswith("taster: RESTORED")
    for variable in BROKEN_DATABASE:
        assert variable not in restore.stderr, f"restore complained about {variable}, which it does not use"
    # The taste hooks still refuse them, before anything is touched.
    pre = app.run("pre-taste", env=BROKEN_DATABASE)
    assert pre.returncode == 2 and "MONGODB_URI" in pre.stderr and "TASTER_MONGO_WAIT" in pre.stderr


def test_compare_of_two_files_needs_no_settings(app, tmp_path):
    assert app.run("pre-taste").returncode == 0
    assert app.run("post-taste").returncode == 0
    run_id = json.loads(app.objects()[f"{app.prefix}/latest-pre.json"])["runId"]
    files = []
    for name in ("pre.json", "post.json"):
        path = tmp_path / name
        path.write_bytes(app.objects()[f"{app.prefix}/runs/{run_id}/{name}"])
        files.append(str(path))
    broken = dict(BROKEN_DATABASE, AWS_REGION="mars central 1", TASTER_BUCKET="Not_A_Bucket", KUBECONFIG="/nonexistent/kubeconfig",
                  TASTER_WORKLOADS="cronjob/x=1", TASTER_CHECKS=None)
    compare = harness.run(["compare", *files], harness.base_env(app.stack, **broken), tmp=tmp_path)
    assert compare.returncode == 0, compare
    assert "PASS" in compare.stdout
    # An s3:// URI needs the report store's settings, and says which is wrong.
    remote = harness.run(["compare", f"s3://{app.stack['TASTER_BUCKET']}/{app.prefix}/runs/{run_id}/pre.json", files[1]],
                         harness.base_env(app.stack, **broken), tmp=tmp_path)
    assert remote.returncode == 2 and "AWS_REGION" in remote.stderr, remote


def test_check_probes_the_prefix_pre_taste_writes_when_the_namespace_comes_from_the_context(app, stack, unique):
    # No TASTER_NAMESPACE, no TASTER_PREFIX, nothing to scale: the namespace is the kubeconfig
    # context's (the stack's is pxbbq), for pre-taste and for check alike.
    env = {key: value for key, value in app.env.items() if key not in ("TASTER_NAMESPACE", "TASTER_PREFIX", "TASTER_WORKLOADS")}
    env["TASTER_APP"] = unique
    pre = harness.run(["pre-taste"], env, tmp=app.tmp)
    assert pre.returncode == 0, pre
    written = [key for key in harness.objects_under(stack, "taster/") if f"/{unique}/" in key]
    assert written and all(key.startswith(f"taster/pxbbq/{unique}/") for key in written), written
    check = harness.run(["check"], env, tmp=app.tmp)
    assert f"s3://{stack['TASTER_BUCKET']}/taster/pxbbq/{unique}/" in check.stdout, check.stdout
