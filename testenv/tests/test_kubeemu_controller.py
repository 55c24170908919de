"""The emulator's simulated control plane: pods for workloads, readiness over time, held
unready reasons, "ready now", Jobs with logs, deletion propagation, and the demo seed."""
from __future__ import annotations

import time

import pytest

from kube import Api, deployment, job, statefulset, wait_for
from test_kubeemu_api import create, deploy_path


@pytest.fixture
def api(stack):
    return Api(stack)


def pods(api, ns, selector=""):
    query = f"?labelSelector={selector}" if selector else ""
    return api.get(f"/api/v1/namespaces/{ns}/pods{query}")[1]["items"]


def test_deployment_pods_replica_sets_and_status_over_time(api, emu, ns):
    emu.workload(ns, "deployment", "web", readyDelaySeconds=0.4)
    create(api, deployment("web", ns, replicas=2))
    dep = wait_for(lambda: (lambda d: d if d.get("status", {}).get("observedGeneration") == 1 else None)(
        api.get(deploy_path(ns, "web"))[1]))
    assert dep["status"].get("readyReplicas", 0) == 0  # not yet: zero counts are left out, as Go's omitempty does
    ready = wait_for(lambda: (lambda d: d if d["status"].get("availableReplicas") == 2 else None)(
        api.get(deploy_path(ns, "web"))[1]), timeout=5)
    assert {k: ready["status"][k] for k in ("replicas", "updatedReplicas", "readyReplicas", "availableReplicas")} == \
        {"replicas": 2, "updatedReplicas": 2, "readyReplicas": 2, "availableReplicas": 2}
    conditions = {c["type"]: c for c in ready["status"]["conditions"]}
    assert conditions["Available"]["status"] == "True" and conditions["Available"]["reason"] == "MinimumReplicasAvailable"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"
    items = pods(api, ns, "app%3Dweb")
    assert len(items) == 2
    owner = items[0]["metadata"]["ownerReferences"][0]
    assert owner["kind"] == "ReplicaSet" and owner["controller"] is True
    rs = api.get(f"/apis/apps/v1/namespaces/{ns}/replicasets/{owner['name']}")[1]
    assert rs["metadata"]["ownerReferences"][0]["name"] == "web"
    assert items[0]["metadata"]["labels"]["pod-template-hash"] == owner["name"].rsplit("-", 1)[1]
    pod = items[0]
    assert pod["status"]["phase"] == "Running" and pod["status"]["containerStatuses"][0]["ready"] is True
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]}["Ready"] == "True"
    # Scale to zero: the pods go after the delay, then no replicas are left.
    api.request("PATCH", deploy_path(ns, "web", "scale"), {"spec": {"replicas": 0}},
                content_type="application/merge-patch+json")
    gone = wait_for(lambda: (lambda d: d if "replicas" not in d["status"] else None)(api.get(deploy_path(ns, "web"))[1]))
    assert gone["status"]["observedGeneration"] == 2 and pods(api, ns) == []


def test_statefulset_pods_and_revisions(api, emu, ns):
    emu.workload(ns, "statefulset", "db", readyDelaySeconds=0.1)
    create(api, statefulset("db", ns, replicas=2))
    sts = wait_for(lambda: (lambda s: s if s["status"].get("readyReplicas") == 2 else None)(
        api.get(f"/apis/apps/v1/namespaces/{ns}/statefulsets/db")[1]), timeout=5)
    status = sts["status"]
    assert status["currentRevision"] == status["updateRevision"] and status["currentRevision"].startswith("db-")
    assert status["replicas"] == status["currentReplicas"] == status["updatedReplicas"] == status["availableReplicas"] == 2
    names = sorted(p["metadata"]["name"] for p in pods(api, ns))
    assert names == ["db-0", "db-1"]
    pod = api.get(f"/api/v1/namespaces/{ns}/pods/db-1")[1]
    assert pod["metadata"]["labels"]["statefulset.kubernetes.io/pod-name"] == "db-1"
    assert pod["metadata"]["labels"]["controller-revision-hash"] == status["updateRevision"]
    assert pod["metadata"]["ownerReferences"][0]["kind"] == "StatefulSet"


@pytest.mark.parametrize("hold,check", [
    ({"reason": "ImagePullBackOff"},
     lambda pod: pod["status"]["containerStatuses"][0]["state"]["waiting"] ==
     {"reason": "ImagePullBackOff", "message": 'Back-off pulling image "nginx:1.27"'}),
    ({"reason": "CrashLoopBackOff", "lastTerminationReason": "OOMKilled", "exitCode": 137},
     lambda pod: pod["status"]["containerStatuses"][0]["lastState"]["terminated"]["reason"] == "OOMKilled"
     and pod["status"]["containerStatuses"][0]["state"]["waiting"]["reason"] == "CrashLoopBackOff"
     and pod["status"]["containerStatuses"][0]["restartCount"] == 5),
    ({"reason": "Unschedulable", "message": "0/3 nodes are available: 3 Insufficient cpu."},
     lambda pod: pod["status"]["phase"] == "Pending" and pod["status"]["conditions"] ==
     [{"type": "PodScheduled", "status": "False", "lastProbeTime": None,
       "lastTransitionTime": pod["status"]["conditions"][0]["lastTransitionTime"], "reason": "Unschedulable",
       "message": "0/3 nodes are available: 3 Insufficient cpu."}]),
])
def test_held_unready_reasons(api, emu, ns, hold, check):
    emu.workload(ns, "deployment", "web", unready=hold, readyDelaySeconds=0)
    create(api, deployment("web", ns, replicas=1))
    pod = wait_for(lambda: next((p for p in pods(api, ns) if check(p)), None), timeout=5, what=str(hold))
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]}.get("Ready", "False") == "False"
    time.sleep(0.3)
    dep = api.get(deploy_path(ns, "web"))[1]
    assert dep["status"].get("readyReplicas", 0) == 0
    events = api.get(f"/api/v1/namespaces/{ns}/events?fieldSelector=involvedObject.name%3D{pod['metadata']['name']}")[1]
    assert events["items"] and events["items"][0]["type"] == "Warning"
    result = emu.ready(ns, "deployment", "web")  # clears the hold and makes it ready at once
    assert result["status"]["readyReplicas"] == 1 and abs(result["readyAt"] - time.time()) < 5


def test_ready_now_is_seen_by_a_watch_within_milliseconds(api, emu, ns):
    emu.workload(ns, "deployment", "web", readyDelaySeconds=None)
    create(api, deployment("web", ns, replicas=3))
    time.sleep(0.3)
    assert api.get(deploy_path(ns, "web"))[1]["status"].get("readyReplicas", 0) == 0  # manual: nothing happens
    _, listed, _ = api.get(deploy_path(ns))
    stream = api.watch(deploy_path(ns) + f"?watch=1&fieldSelector=metadata.name%3Dweb"
                                         f"&resourceVersion={listed['metadata']['resourceVersion']}")
    try:
        result = emu.ready(ns, "deployment", "web")
        seen = stream.until(lambda e: e["object"]["status"].get("readyReplicas") == 3)
        assert time.time() - result["readyAt"] < 1.0
        assert seen[-1]["object"]["metadata"]["resourceVersion"] == result["resourceVersion"]
    finally:
        stream.close()


def test_job_failure_with_retries_logs_and_conditions(api, emu, ns):
    emu.job(ns, "flaky", outcome="fail", failedAttempts=2, logs=["trying", "failed"], exitCode=2,
            lineIntervalSeconds=0.05)
    create(api, job("flaky", ns, backoff_limit=3))
    done = wait_for(lambda: (lambda j: j if any(c["type"] == "Failed" for c in j["status"].get("conditions", [])) else None)(
        api.get(f"/apis/batch/v1/namespaces/{ns}/jobs/flaky")[1]), timeout=10)
    assert done["status"]["failed"] == 2 and "completionTime" not in done["status"]
    failed = next(c for c in done["status"]["conditions"] if c["type"] == "Failed")
    assert (failed["status"], failed["reason"], failed["message"]) == \
        ("True", "BackoffLimitExceeded", "Job has reached the specified backoff limit")
    job_pods = pods(api, ns, "job-name%3Dflaky")
    assert len(job_pods) == 2 and all(p["status"]["phase"] == "Failed" for p in job_pods)
    terminated = job_pods[0]["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (2, "Error")
    name = job_pods[0]["metadata"]["name"]
    assert api.get(f"/api/v1/namespaces/{ns}/pods/{name}/log")[1] == "trying\nfailed\n"


def test_job_annotations_multi_container_logs_and_streaming(api, emu, ns):
    manifest = job("multi", ns, containers=["main", "side"], annotations={
        "kubeemu.taster.dev/logs": '{"main": ["m1", "m2", "m3"], "side": ["s1"]}',
        "kubeemu.taster.dev/line-interval-seconds": "0.3"})
    create(api, manifest)
    pod = wait_for(lambda: next(iter(pods(api, ns)), None))["metadata"]["name"]
    status, body, _ = api.get(f"/api/v1/namespaces/{ns}/pods/{pod}/log")
    assert status == 400 and body["message"] == f"a container name must be specified for pod {pod}, choose one of: [main side]"
    wait_for(lambda: api.get(f"/api/v1/namespaces/{ns}/pods/{pod}")[1]["status"]["phase"] == "Running")
    connection = api.connect()
    connection.request("GET", f"/api/v1/namespaces/{ns}/pods/{pod}/log?container=main&follow=true", headers=api.headers())
    response = connection.getresponse()
    arrivals = []
    while True:
        line = response.readline()
        if not line:
            break
        arrivals.append((time.monotonic(), line.decode().strip()))
    connection.close()
    assert [text for _, text in arrivals] == ["m1", "m2", "m3"]
    assert arrivals[-1][0] - arrivals[0][0] > 0.3  # streamed as produced, not at the end
    tail = api.get(f"/api/v1/namespaces/{ns}/pods/{pod}/log?container=main&tailLines=1&timestamps=true")[1]
    assert tail.endswith(" m3\n") and tail[:2] == "20"
    first = arrivals[0]
    since = api.get(f"/api/v1/namespaces/{ns}/pods/{pod}/log?container=side")[1]
    assert since == "s1\n" and first


def test_delete_propagation(api, emu, ns):
    emu.workload(ns, "deployment", "web", readyDelaySeconds=0)
    create(api, deployment("web", ns, replicas=2))
    wait_for(lambda: len(pods(api, ns)) == 2)
    status, body, _ = api.request("DELETE", deploy_path(ns, "web"),
                                  {"kind": "DeleteOptions", "apiVersion": "v1", "propagationPolicy": "Foreground"})
    assert status == 200 and body["metadata"]["finalizers"] == ["foregroundDeletion"]
    assert body["metadata"]["deletionTimestamp"]
    wait_for(lambda: api.get(deploy_path(ns, "web"))[0] == 404 and pods(api, ns) == [], what="foreground deletion")
    emu.job(ns, "j", runSeconds=0.1)
    create(api, job("j", ns))
    wait_for(lambda: len(pods(api, ns)) == 1)
    status, body, headers = api.request("DELETE", f"/apis/batch/v1/namespaces/{ns}/jobs/j")
    assert status == 200 and "child pods are preserved by default" in headers["Warning"]
    time.sleep(0.3)
    orphan = pods(api, ns)
    assert len(orphan) == 1 and "ownerReferences" not in orphan[0]["metadata"]


def test_demo_seed(api, emu, ns):
    items = emu.seed_demo(ns)
    assert [(i["kind"], i["metadata"]["name"], i["spec"]["replicas"]) for i in items] == \
        [("StatefulSet", "mongo", 0), ("Deployment", "pxbbq-web", 0)]
    scale = api.get(f"/apis/apps/v1/namespaces/{ns}/statefulsets/mongo/scale")[1]
    assert scale["status"]["selector"] == "app=mongo"
