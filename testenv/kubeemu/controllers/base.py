"""What every controller of the simulated control plane shares: the resources they touch,
the global settings, the condition and status helpers, and `ControllerBase` — the state they
share (the store, the logs, each pod's plan, the control API's per-workload settings), the
wake-ups (`poke`, `at`), events, owned objects, status writes, and the kubelet's part: pods
going from pending to running and ready (or held unready), bare pods, started logs.

The controllers for each kind build on it (deployment.py, statefulset.py, job.py, gc.py);
plane.py runs them in one thread.
"""
from __future__ import annotations

import copy
import heapq
import itertools
import json
import threading
import time

from .. import objects, pods as podlib
from ..resources import find
from ..store import Store

DEPLOYMENTS = find("apps", "v1", "deployments")
REPLICASETS = find("apps", "v1", "replicasets")
STATEFULSETS = find("apps", "v1", "statefulsets")
JOBS = find("batch", "v1", "jobs")
PODS = find("", "v1", "pods")
EVENTS = find("", "v1", "events")

WORKLOAD_KINDS = {"deployments": DEPLOYMENTS, "statefulsets": STATEFULSETS}


class Settings:
    """Global behaviour, changed through the control API (PUT /_emulator/settings)."""

    def __init__(self) -> None:
        self.ready_delay: float | None = 1.0      # pods become ready this long after they are created; None = only when told
        self.job_start_delay = 0.2                 # a job pod is Pending this long, then Running
        self.job_run_seconds = 0.5                 # ... and runs at least this long
        self.log_interval = 0.1                    # between a job's log lines
        self.bookmark_interval = 60.0              # watch bookmarks (allowWatchBookmarks=true)
        self.watch_list = True                     # sendInitialEvents supported; False answers 422
        self.auto_create_namespaces = True

    def to_json(self) -> dict:
        return {"readyDelaySeconds": self.ready_delay, "jobStartDelaySeconds": self.job_start_delay,
                "jobRunSeconds": self.job_run_seconds, "logLineIntervalSeconds": self.log_interval,
                "bookmarkIntervalSeconds": self.bookmark_interval, "watchList": self.watch_list,
                "autoCreateNamespaces": self.auto_create_namespaces}

    def update(self, body: dict) -> None:
        fields = {"readyDelaySeconds": "ready_delay", "jobStartDelaySeconds": "job_start_delay",
                  "jobRunSeconds": "job_run_seconds", "logLineIntervalSeconds": "log_interval",
                  "bookmarkIntervalSeconds": "bookmark_interval", "watchList": "watch_list",
                  "autoCreateNamespaces": "auto_create_namespaces"}
        unknown = set(body) - set(fields)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
        for key, value in body.items():
            if key in ("watchList", "autoCreateNamespaces"):
                if not isinstance(value, bool):
                    raise ValueError(f"{key} must be true or false")
            elif value is not None and not isinstance(value, (int, float)):
                raise ValueError(f"{key} must be a number of seconds")
            elif value is None and key != "readyDelaySeconds":
                raise ValueError(f"{key} must be a number of seconds")
            setattr(self, fields[key], value)


def owner_uids(obj: dict) -> list[str]:
    return [ref.get("uid") for ref in obj.get("metadata", {}).get("ownerReferences") or []]


def controller_ref(obj: dict) -> dict | None:
    for ref in obj.get("metadata", {}).get("ownerReferences") or []:
        if ref.get("controller"):
            return ref
    return None


def cond(kind: str, status: bool, reason: str, message: str, at: str, previous: list | None, probe=False) -> dict:
    """A workload condition; lastTransitionTime kept while the status stays the same."""
    old = next((c for c in previous or [] if c.get("type") == kind), None)
    transition = old["lastTransitionTime"] if old and old.get("status") == ("True" if status else "False") else at
    entry = {"type": kind, "status": "True" if status else "False"}
    if probe:
        entry["lastProbeTime"] = at
    else:
        entry["lastUpdateTime"] = at if not old or old.get("reason") != reason or old.get("status") != entry["status"] \
            else old.get("lastUpdateTime", at)
    entry["lastTransitionTime"] = transition
    entry["reason"] = reason
    entry["message"] = message
    return entry


def compact(status: dict, keep: tuple[str, ...] = ()) -> dict:
    """Drops zero counts the way Go's omitempty does (fields in keep stay)."""
    return {k: v for k, v in status.items() if k in keep or v not in (0, None, "", [])}


class ControllerBase:
    """The state and helpers every controller uses; each kind's controller is a subclass, and
    plane.Controller is all of them."""

    def __init__(self, store: Store, logs, settings: Settings) -> None:
        self.store = store
        self.logs = logs
        self.settings = settings
        self.cv = threading.Condition(threading.Lock())
        self.dirty: set[tuple] = set()
        self.timers: list[tuple[float, int, tuple]] = []
        self.counter = itertools.count()
        self.workloads: dict[tuple[str, str, str], dict] = {}  # (resource, ns, name) -> {"readyDelay"?, "unready"?}
        self.plans: dict[str, dict] = {}                       # pod uid -> {"readyAt", "deleteAt", ...}

    # -- wake-ups ----------------------------------------------------------------------------------

    def poke(self, key: tuple) -> None:
        with self.cv:
            self.dirty.add(key)
            self.cv.notify_all()

    def at(self, when: float, key: tuple) -> None:
        with self.cv:
            heapq.heappush(self.timers, (when, next(self.counter), key))
            self.cv.notify_all()

    # -- settings from the control API -------------------------------------------------------------

    def workload_settings(self, resource: str, ns: str, name: str) -> dict:
        return self.workloads.get((resource, ns, name), {})

    def set_workload(self, resource: str, ns: str, name: str, body: dict) -> dict:
        allowed = {"readyDelaySeconds", "unready"}
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"unknown workload settings: {', '.join(sorted(unknown))}")
        if "unready" in body and body["unready"] is not None and not isinstance(body["unready"], dict):
            raise ValueError('unready must be an object like {"reason": "ImagePullBackOff"} or null')
        with self.store.lock:
            current = self.workloads.setdefault((resource, ns, name), {})
            current.update(body)
            if current.get("unready") is None:
                current.pop("unready", None)
            now = time.time()
            for pod in self.workload_pods(resource, ns, name):  # re-plan readiness with the new settings
                plan = self.plans.setdefault(pod["metadata"]["uid"], {})
                if "unready" not in current and not podlib.is_ready(pod):
                    delay = self.delay_for(resource, ns, name)
                    plan["readyAt"] = None if delay is None else now + delay
                plan.pop("held", None)
        self.poke((resource, ns, name))
        return dict(current)

    def clear_workload(self, resource: str, ns: str, name: str) -> None:
        self.workloads.pop((resource, ns, name), None)
        self.poke((resource, ns, name))

    def delay_for(self, resource: str, ns: str, name: str) -> float | None:
        settings = self.workload_settings(resource, ns, name)
        return settings["readyDelaySeconds"] if "readyDelaySeconds" in settings else self.settings.ready_delay

    # -- helpers -----------------------------------------------------------------------------------

    def emit(self, involved: dict, event_type: str, reason: str, message: str, component: str) -> None:
        meta = involved["metadata"]
        ns = meta.get("namespace") or "default"
        now = objects.rfc3339()
        event = {"apiVersion": "v1", "kind": "Event",
                 "metadata": {"name": f"{meta['name']}.{int(time.time() * 1e9):x}", "namespace": ns},
                 "involvedObject": {"apiVersion": involved.get("apiVersion"), "kind": involved.get("kind"),
                                    "name": meta["name"], "namespace": ns, "uid": meta.get("uid"),
                                    "resourceVersion": meta.get("resourceVersion")},
                 "reason": reason, "message": message, "type": event_type,
                 "source": {"component": component}, "firstTimestamp": now, "lastTimestamp": now, "count": 1,
                 "eventTime": None, "reportingComponent": component, "reportingInstance": ""}
        self.store.create(EVENTS, ns, event)

    def owned(self, resource, ns: str, uid: str) -> list[dict]:
        items, _ = self.store.list(resource, ns)
        return [o for o in items if uid in owner_uids(o)]

    def workload_pods(self, resource: str, ns: str, name: str) -> list[dict]:
        owner = self.store.find(WORKLOAD_KINDS.get(resource) or JOBS, ns, name)
        if owner is None:
            return []
        uid = owner["metadata"]["uid"]
        if resource == "deployments":
            result = []
            for rs in self.owned(REPLICASETS, ns, uid):
                result += self.owned(PODS, ns, rs["metadata"]["uid"])
            return result
        return self.owned(PODS, ns, uid)

    def set_pod_status(self, pod: dict, status: dict) -> dict:
        pod = copy.deepcopy(pod)
        pod["status"] = status
        return self.store.update(PODS, pod["metadata"]["namespace"], pod, subresource="status")

    def write_status(self, resource, ns: str, name: str, obj: dict, status: dict) -> dict:
        """Writes status when it changed in more than condition timestamps."""
        old = obj.get("status") or {}

        def strip(s):
            s = copy.deepcopy(s)
            for c in s.get("conditions") or []:
                c.pop("lastUpdateTime", None)
                c.pop("lastTransitionTime", None)
                c.pop("lastProbeTime", None)
            return s
        if strip(old) == strip(status):
            return obj
        current = self.store.find(resource, ns, name)
        if current is None:
            return obj
        current["status"] = status
        return self.store.update(resource, ns, current, subresource="status")

    # -- pods: the kubelet's part ------------------------------------------------------------------

    def start_logs(self, pod: dict) -> None:
        meta = pod["metadata"]
        for container in pod["spec"].get("containers") or []:
            self.logs.append(meta["namespace"], meta["name"], container["name"],
                             f"kubeemu: started container {container['name']} (image {container.get('image', '')})")

    def make_ready(self, pod: dict, now: float) -> dict:
        self.start_logs(pod)
        return self.set_pod_status(pod, podlib.running_status(pod, ready=True, at=now))

    def delete_pod(self, pod: dict) -> None:
        meta = pod["metadata"]
        try:
            self.store.delete(PODS, meta["namespace"], meta["name"])
        except Exception:  # noqa: BLE001 - already gone
            pass
        self.plans.pop(meta.get("uid"), None)
        self.logs.forget(meta["namespace"], meta["name"])

    def advance_pods(self, resource: str, ns: str, name: str, current: list[dict], now: float, wake: list) -> list[dict]:
        """Moves this workload's current pods along their plans (ready, held); returns them updated."""
        settings = self.workload_settings(resource, ns, name)
        hold = settings.get("unready")
        result = []
        for pod in current:
            uid = pod["metadata"]["uid"]
            plan = self.plans.setdefault(uid, {})
            if hold:
                signature = json.dumps(hold, sort_keys=True)
                if plan.get("held") != signature:
                    status = podlib.held_status(pod, hold, now)
                    pod = self.set_pod_status(pod, status)
                    plan["held"] = signature
                    plan["readyAt"] = None
                    reason = hold.get("reason", "ImagePullBackOff")
                    if reason == "Unschedulable":
                        self.emit(pod, "Warning", "FailedScheduling", status["conditions"][0]["message"],
                                  "default-scheduler")
                    else:
                        waiting = [c["state"].get("waiting", {}) for c in status.get("containerStatuses") or []]
                        message = next((w.get("message") for w in waiting if w.get("message")), reason)
                        self.emit(pod, "Warning", "BackOff" if "BackOff" in reason else "Failed", message, "kubelet")
            elif not podlib.is_ready(pod):
                ready_at = plan.get("readyAt")
                if ready_at is not None and ready_at <= now:
                    pod = self.make_ready(pod, now)
                    plan["readyAt"] = None
                elif ready_at is not None:
                    wake.append(ready_at)
            result.append(pod)
        return result

    def new_plan(self, resource: str, ns: str, name: str, pod: dict, now: float) -> None:
        delay = self.delay_for(resource, ns, name)
        self.plans[pod["metadata"]["uid"]] = {"readyAt": None if delay is None else now + delay}

    def unschedule_if_held(self, resource: str, ns: str, name: str, pod: dict) -> None:
        hold = self.workload_settings(resource, ns, name).get("unready")
        if hold and hold.get("reason") == "Unschedulable":
            pod["spec"].pop("nodeName", None)

    def bare_pod(self, ns: str, name: str) -> None:
        pod = self.store.find(PODS, ns, name)
        if pod is None or podlib.is_ready(pod) or podlib.phase(pod) in ("Succeeded", "Failed"):
            return
        now = time.time()
        plan = self.plans.setdefault(pod["metadata"]["uid"], {})
        if "readyAt" not in plan:
            delay = self.settings.ready_delay
            plan["readyAt"] = None if delay is None else now + delay
            if not pod["spec"].get("nodeName"):
                pod["spec"]["nodeName"] = podlib.NODE
                pod = self.store.update(PODS, ns, pod)
                pod = self.set_pod_status(pod, podlib.pending_status(pod, now))
        if plan["readyAt"] is not None:
            if plan["readyAt"] <= now:
                self.make_ready(pod, now)
            else:
                self.at(plan["readyAt"], ("pods", ns, name))
