"""Pod objects as the scheduler and kubelet would leave them: pending, running and ready,
held unready for a given reason, or terminated."""
from __future__ import annotations

import copy
import hashlib

from . import objects

NODE = "kubeemu-node"
HOST_IP = "10.0.0.10"

DEFAULT_MESSAGES = {
    "ImagePullBackOff": 'Back-off pulling image "{image}"',
    "ErrImagePull": 'failed to pull and unpack image "{image}": failed to resolve reference "{image}": not found',
    "CreateContainerConfigError": 'secret "{pod}-credentials" not found',
    "InvalidImageName": 'Failed to apply default image tag "{image}": couldn\'t parse image name',
    "CrashLoopBackOff": "back-off 5m0s restarting failed container={container} pod={pod}_{namespace}({uid})",
    "Unschedulable": "0/1 nodes are available: 1 Insufficient memory. preemption: 0/1 nodes are available: "
                     "1 No preemption victims found for incoming pod.",
    "ContainerCreating": "",
}


def pod_ip(name: str) -> str:
    digest = hashlib.sha256(name.encode()).digest()
    return f"10.244.{digest[0]}.{max(2, digest[1])}"


def condition(kind: str, status: bool, at: str, reason: str = "", message: str = "") -> dict:
    entry = {"type": kind, "status": "True" if status else "False", "lastProbeTime": None, "lastTransitionTime": at}
    if reason:
        entry["reason"] = reason
    if message:
        entry["message"] = message
    return entry


def new_pod(name: str, namespace: str, labels: dict, annotations: dict | None, template: dict,
            owner: dict, restart_policy: str | None = None) -> dict:
    """A Pod for owner (Deployment's ReplicaSet, StatefulSet, Job), pending and scheduled."""
    spec = copy.deepcopy((template or {}).get("spec") or {})
    if restart_policy:
        spec.setdefault("restartPolicy", restart_policy)
    objects.default_pod_spec(spec)
    spec.setdefault("serviceAccountName", "default")
    spec.setdefault("serviceAccount", spec["serviceAccountName"])
    spec["nodeName"] = NODE
    meta = {"name": name, "namespace": namespace, "labels": dict(labels),
            "ownerReferences": [{"apiVersion": owner["apiVersion"], "kind": owner["kind"],
                                 "name": owner["metadata"]["name"], "uid": owner["metadata"]["uid"],
                                 "controller": True, "blockOwnerDeletion": True}]}
    if annotations:
        meta["annotations"] = dict(annotations)
    pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": {}}
    pod["status"] = pending_status(pod)
    return pod


def _containers(pod: dict) -> list[dict]:
    return pod.get("spec", {}).get("containers") or []


def pending_status(pod: dict, at: float | None = None) -> dict:
    now = objects.rfc3339(at)
    names = [c["name"] for c in _containers(pod)]
    unready = f"containers with unready status: [{' '.join(names)}]"
    return {"phase": "Pending", "hostIP": HOST_IP, "hostIPs": [{"ip": HOST_IP}], "startTime": now,
            "qosClass": "BestEffort",
            "conditions": [condition("PodReadyToStartContainers", False, now),
                           condition("Initialized", True, now),
                           condition("Ready", False, now, "ContainersNotReady", unready),
                           condition("ContainersReady", False, now, "ContainersNotReady", unready),
                           condition("PodScheduled", True, now)],
            "containerStatuses": [{"name": c["name"], "state": {"waiting": {"reason": "ContainerCreating"}},
                                   "lastState": {}, "ready": False, "restartCount": 0, "image": c.get("image", ""),
                                   "imageID": "", "started": False} for c in _containers(pod)]}


def running_status(pod: dict, ready: bool = True, at: float | None = None) -> dict:
    now = objects.rfc3339(at)
    status = pod.get("status") or {}
    started = status.get("startTime") or now
    names = [c["name"] for c in _containers(pod)]
    previous = {c["name"]: c for c in status.get("containerStatuses") or []}
    statuses = []
    for c in _containers(pod):
        old = previous.get(c["name"], {})
        running = old.get("state", {}).get("running")
        statuses.append({"name": c["name"], "state": {"running": running or {"startedAt": now}},
                         "lastState": old.get("lastState") or {}, "ready": ready,
                         "restartCount": old.get("restartCount", 0), "image": c.get("image", ""),
                         "imageID": objects.image_id(c.get("image", "")),
                         "containerID": old.get("containerID") or objects.container_id(), "started": True})
    unready = "" if ready else f"containers with unready status: [{' '.join(names)}]"
    ip = pod_ip(pod["metadata"]["name"] + pod["metadata"].get("uid", ""))
    return {"phase": "Running", "hostIP": HOST_IP, "hostIPs": [{"ip": HOST_IP}], "podIP": ip, "podIPs": [{"ip": ip}],
            "startTime": started, "qosClass": "BestEffort",
            "conditions": [condition("PodReadyToStartContainers", True, now),
                           condition("Initialized", True, now),
                           condition("Ready", ready, now, "" if ready else "ContainersNotReady", unready),
                           condition("ContainersReady", ready, now, "" if ready else "ContainersNotReady", unready),
                           condition("PodScheduled", True, now)],
            "containerStatuses": statuses}


def held_status(pod: dict, hold: dict, at: float | None = None) -> dict:
    """A pod kept unready: hold = {"reason": ..., "message"?, "exitCode"?, "lastTerminationReason"?,
    "restartCount"?, "containers"? (names; default all)}."""
    now = objects.rfc3339(at)
    reason = hold.get("reason") or "ImagePullBackOff"
    meta = pod["metadata"]
    names = [c["name"] for c in _containers(pod)]
    unready = f"containers with unready status: [{' '.join(names)}]"
    if reason == "Unschedulable":
        message = hold.get("message") or DEFAULT_MESSAGES["Unschedulable"]
        return {"phase": "Pending", "qosClass": "BestEffort",
                "conditions": [condition("PodScheduled", False, now, "Unschedulable", message)]}
    affected = set(hold.get("containers") or names)
    status = running_status(pod, ready=False, at=at) if reason in ("CrashLoopBackOff", "Unready") else pending_status(pod, at)
    for entry in status["containerStatuses"]:
        name = entry["name"]
        if name not in affected:
            continue
        image = next((c.get("image", "") for c in _containers(pod) if c["name"] == name), "")
        template = hold.get("message") or DEFAULT_MESSAGES.get(reason, "")
        message = template.format(image=image, container=name, pod=meta["name"],
                                  namespace=meta.get("namespace", ""), uid=meta.get("uid", ""))
        if reason == "Unready":  # running, readiness probe failing
            entry["ready"] = False
            continue
        waiting = {"reason": reason}
        if message:
            waiting["message"] = message
        entry["state"] = {"waiting": waiting}
        entry["ready"] = False
        entry["started"] = False
        if reason == "CrashLoopBackOff":
            entry["restartCount"] = hold.get("restartCount", 5)
            entry["lastState"] = {"terminated": {
                "exitCode": hold.get("exitCode", 1), "reason": hold.get("lastTerminationReason", "Error"),
                "startedAt": now, "finishedAt": now, "containerID": entry.get("containerID") or objects.container_id()}}
    return status


def terminated_status(pod: dict, exit_code: int, at: float | None = None) -> dict:
    now = objects.rfc3339(at)
    status = pod.get("status") or {}
    started = status.get("startTime") or now
    previous = {c["name"]: c for c in status.get("containerStatuses") or []}
    statuses = []
    for c in _containers(pod):
        old = previous.get(c["name"], {})
        started_at = (old.get("state", {}).get("running") or {}).get("startedAt") or now
        statuses.append({"name": c["name"],
                         "state": {"terminated": {"exitCode": exit_code, "reason": "Completed" if exit_code == 0 else "Error",
                                                  "startedAt": started_at, "finishedAt": now,
                                                  "containerID": old.get("containerID") or objects.container_id()}},
                         "lastState": {}, "ready": False, "restartCount": old.get("restartCount", 0),
                         "image": c.get("image", ""), "imageID": objects.image_id(c.get("image", "")),
                         "containerID": old.get("containerID") or objects.container_id(), "started": False})
    ip = pod_ip(pod["metadata"]["name"] + pod["metadata"].get("uid", ""))
    return {"phase": "Succeeded" if exit_code == 0 else "Failed", "hostIP": HOST_IP, "hostIPs": [{"ip": HOST_IP}],
            "podIP": ip, "podIPs": [{"ip": ip}], "startTime": started, "qosClass": "BestEffort",
            "conditions": [condition("PodReadyToStartContainers", False, now),
                           condition("Initialized", True, now, "PodCompleted"),
                           condition("Ready", False, now, "PodCompleted"),
                           condition("ContainersReady", False, now, "PodCompleted"),
                           condition("PodScheduled", True, now)],
            "containerStatuses": statuses}


def is_ready(pod: dict) -> bool:
    for cond in (pod.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready":
            return cond.get("status") == "True"
    return False


def phase(pod: dict) -> str:
    return (pod.get("status") or {}).get("phase", "Pending")
