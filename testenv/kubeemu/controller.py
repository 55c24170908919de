"""The simulated control plane: deployment, statefulset and job controllers, the kubelet's part
(pods going from pending to running and ready, logs written over time) and the garbage
collector (ownerReferences, propagationPolicy).

Everything happens in one thread woken by store changes and by timers, and every reconcile holds
the store's lock, so the HTTP side (and the control API's "ready now") sees consistent steps.
"""
from __future__ import annotations

import copy
import heapq
import itertools
import json
import threading
import time
import traceback

from . import objects, pods as podlib
from .resources import find
from .store import Event, Store

DEPLOYMENTS = find("apps", "v1", "deployments")
REPLICASETS = find("apps", "v1", "replicasets")
STATEFULSETS = find("apps", "v1", "statefulsets")
JOBS = find("batch", "v1", "jobs")
PODS = find("", "v1", "pods")
EVENTS = find("", "v1", "events")
NAMESPACES = find("", "v1", "namespaces")

WORKLOAD_KINDS = {"deployments": DEPLOYMENTS, "statefulsets": STATEFULSETS}
ANNOTATION = "kubeemu.taster.dev/"


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


class Controller:
    def __init__(self, store: Store, logs, settings: Settings) -> None:
        self.store = store
        self.logs = logs
        self.settings = settings
        self.cv = threading.Condition(threading.Lock())
        self.dirty: set[tuple] = set()
        self.timers: list[tuple[float, int, tuple]] = []
        self.counter = itertools.count()
        self.stopping = False
        self.workloads: dict[tuple[str, str, str], dict] = {}  # (resource, ns, name) -> {"readyDelay"?, "unready"?}
        self.jobs: dict[tuple[str, str], dict] = {}            # (ns, name) -> job behaviour
        self.plans: dict[str, dict] = {}                       # pod uid -> {"readyAt", "deleteAt", ...}
        self.deletion: dict[str, str] = {}                     # uid -> propagation policy of its DELETE
        self.progress_start: dict[str, float] = {}             # workload uid -> when its rollout started
        self.errors: list[str] = []
        store.listeners.append(self.notify)
        self.thread = threading.Thread(target=self.run, name="kubeemu-controller", daemon=True)

    # -- plumbing ------------------------------------------------------------------------------

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        with self.cv:
            self.stopping = True
            self.cv.notify_all()

    def notify(self, event: Event) -> None:
        """Store listener (called under the store lock): note what needs a reconcile."""
        keys = self.keys_for(event)
        if keys:
            with self.cv:
                self.dirty.update(keys)
                self.cv.notify_all()

    def poke(self, key: tuple) -> None:
        with self.cv:
            self.dirty.add(key)
            self.cv.notify_all()

    def at(self, when: float, key: tuple) -> None:
        with self.cv:
            heapq.heappush(self.timers, (when, next(self.counter), key))
            self.cv.notify_all()

    def keys_for(self, event: Event) -> list[tuple]:
        obj, resource = event.obj, event.resource.name
        meta = obj.get("metadata", {})
        ns, name = meta.get("namespace", ""), meta.get("name")
        keys: list[tuple] = []
        if event.type == "DELETED" or meta.get("deletionTimestamp"):
            keys.append(("gc", ns, meta.get("uid"), resource, name))
        if resource in ("deployments", "statefulsets", "jobs"):
            keys.append((resource, ns, name))
        elif resource in ("replicasets", "pods"):
            ref = controller_ref(obj)
            if ref and ref.get("kind") == "StatefulSet":
                keys.append(("statefulsets", ns, ref["name"]))
            elif ref and ref.get("kind") == "Job":
                keys.append(("jobs", ns, ref["name"]))
            elif ref and ref.get("kind") == "Deployment":
                keys.append(("deployments", ns, ref["name"]))
            elif ref and ref.get("kind") == "ReplicaSet":
                keys.append(("deployments", ns, ref["name"].rsplit("-", 1)[0]))
            elif resource == "pods" and not ref and event.type != "DELETED":
                keys.append(("pods", ns, name))
        return keys

    def run(self) -> None:
        while True:
            with self.cv:
                while not self.stopping and not self.dirty and not (self.timers and self.timers[0][0] <= time.time()):
                    timeout = self.timers[0][0] - time.time() if self.timers else None
                    self.cv.wait(timeout)
                if self.stopping:
                    return
                now = time.time()
                while self.timers and self.timers[0][0] <= now:
                    self.dirty.add(heapq.heappop(self.timers)[2])
                work, self.dirty = self.dirty, set()
            # GC first: a deleted owner's dependents go before anything reconciles them again.
            for key in sorted(work, key=lambda k: (k[0] != "gc", k)):
                try:
                    with self.store.lock:
                        self.reconcile(key)
                except Exception:  # noqa: BLE001 - keep the control loop alive, remember what failed
                    self.errors.append(f"{key}: {traceback.format_exc()}")
                    del self.errors[:-20]

    def reconcile(self, key: tuple) -> None:
        kind = key[0]
        if kind == "gc":
            self.collect(*key[1:])
        elif kind == "deployments":
            self.deployment(key[1], key[2])
        elif kind == "statefulsets":
            self.statefulset(key[1], key[2])
        elif kind == "jobs":
            self.job(key[1], key[2])
        elif kind == "pods":
            self.bare_pod(key[1], key[2])

    # -- settings from the control API ---------------------------------------------------------

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

    def set_job(self, ns: str, name: str, body: dict) -> dict:
        allowed = {"outcome", "logs", "lineIntervalSeconds", "runSeconds", "exitCode", "failedAttempts",
                   "startDelaySeconds"}
        unknown = set(body) - allowed
        if unknown:
            raise ValueError(f"unknown job settings: {', '.join(sorted(unknown))}")
        if body.get("outcome", "succeed") not in ("succeed", "fail"):
            raise ValueError('outcome must be "succeed" or "fail"')
        logs = body.get("logs")
        if logs is not None and not isinstance(logs, (list, dict)):
            raise ValueError("logs must be a list of lines or an object {container: [lines]}")
        self.jobs.setdefault((ns, name), {}).update(body)
        self.poke(("jobs", ns, name))
        return dict(self.jobs[(ns, name)])

    def forget_namespace(self, ns: str) -> None:
        for key in [k for k in self.workloads if k[1] == ns]:
            del self.workloads[key]
        for key in [k for k in self.jobs if k[0] == ns]:
            del self.jobs[key]

    # -- helpers -------------------------------------------------------------------------------

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

    # -- deployments ---------------------------------------------------------------------------

    def deployment(self, ns: str, name: str, force_ready: bool = False) -> None:
        dep = self.store.find(DEPLOYMENTS, ns, name)
        if dep is None or dep["metadata"].get("deletionTimestamp"):
            return None
        now = time.time()
        wake: list[float] = []
        uid = dep["metadata"]["uid"]
        spec = dep.get("spec") or {}
        replicas = spec.get("replicas", 1)
        template = spec.get("template") or {}
        pod_hash = objects.template_hash(template)
        rs_name = f"{name}-{pod_hash}"
        sets = self.owned(REPLICASETS, ns, uid)
        new_rs = next((rs for rs in sets if rs["metadata"]["name"] == rs_name), None)
        if new_rs is None:
            revisions = [int(rs["metadata"].get("annotations", {}).get("deployment.kubernetes.io/revision", "0"))
                         for rs in sets]
            revision = str(max(revisions, default=0) + 1)
            labels = dict((template.get("metadata") or {}).get("labels") or {}, **{"pod-template-hash": pod_hash})
            rs_template = copy.deepcopy(template)
            rs_template.setdefault("metadata", {})["labels"] = labels
            selector = copy.deepcopy(spec.get("selector") or {})
            selector.setdefault("matchLabels", {})["pod-template-hash"] = pod_hash
            new_rs = self.store.create(REPLICASETS, ns, {
                "apiVersion": "apps/v1", "kind": "ReplicaSet",
                "metadata": {"name": rs_name, "labels": labels,
                             "annotations": {"deployment.kubernetes.io/desired-replicas": str(replicas),
                                             "deployment.kubernetes.io/max-replicas": str(replicas + max(1, replicas // 4)),
                                             "deployment.kubernetes.io/revision": revision},
                             "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": name, "uid": uid,
                                                  "controller": True, "blockOwnerDeletion": True}]},
                "spec": {"replicas": replicas, "selector": selector, "template": rs_template}})
            self.emit(dep, "Normal", "ScalingReplicaSet", f"Scaled up replica set {rs_name} from 0 to {replicas}",
                      "deployment-controller")
            annotations = dep["metadata"].setdefault("annotations", {})
            if annotations.get("deployment.kubernetes.io/revision") != revision:
                annotations["deployment.kubernetes.io/revision"] = revision
                dep = self.store.update(DEPLOYMENTS, ns, dep)
            self.progress_start[uid] = now
            sets.append(new_rs)
        old_sets = [rs for rs in sets if rs["metadata"]["name"] != rs_name]
        if dep.get("metadata", {}).get("generation") != (dep.get("status") or {}).get("observedGeneration"):
            self.progress_start.setdefault(uid, now)
            if (new_rs.get("spec") or {}).get("replicas") != replicas:
                self.progress_start[uid] = now

        # Pods of the new ReplicaSet: create the missing ones, plan the excess away.
        new_pods = self.owned(PODS, ns, new_rs["metadata"]["uid"])
        delay = self.delay_for("deployments", ns, name)
        if len(new_pods) < replicas:
            for _ in range(replicas - len(new_pods)):
                pod = podlib.new_pod(f"{rs_name}-{objects.random_suffix()}", ns,
                                     (new_rs["spec"]["template"].get("metadata") or {}).get("labels") or {},
                                     (template.get("metadata") or {}).get("annotations"), template, new_rs)
                self.unschedule_if_held("deployments", ns, name, pod)
                created = self.store.create(PODS, ns, pod)
                self.new_plan("deployments", ns, name, created, now)
                new_pods.append(created)
        new_pods.sort(key=lambda p: (not podlib.is_ready(p), p["metadata"]["creationTimestamp"], p["metadata"]["name"]))
        keep, excess = new_pods[:replicas], new_pods[replicas:]
        for pod in keep:
            self.plans.setdefault(pod["metadata"]["uid"], {}).pop("deleteAt", None)
        leaving = []  # excess pods still there until their deletion is due: they still count
        for pod in excess:
            plan = self.plans.setdefault(pod["metadata"]["uid"], {})
            if force_ready or (delay is not None and plan.setdefault("deleteAt", now + delay) <= now):
                self.delete_pod(pod)
            else:
                leaving.append(pod)
                if delay is not None:
                    wake.append(plan["deleteAt"])
        if force_ready:
            for pod in keep:
                if not podlib.is_ready(pod):
                    self.plans.setdefault(pod["metadata"]["uid"], {})["readyAt"] = now
        keep = self.advance_pods("deployments", ns, name, keep, now, wake)

        # Old ReplicaSets' pods go once the new ones are all ready (or at once when scaling to 0).
        new_ready = sum(1 for p in keep if podlib.is_ready(p))
        old_pods = [p for rs in old_sets for p in self.owned(PODS, ns, rs["metadata"]["uid"])]
        if old_pods and (new_ready >= replicas or force_ready):
            for pod in old_pods:
                self.delete_pod(pod)
            old_pods = []
        if new_rs["spec"].get("replicas") != replicas:
            new_rs["spec"]["replicas"] = replicas
            new_rs = self.store.update(REPLICASETS, ns, new_rs)
        for rs in old_sets:
            remaining = sum(1 for p in old_pods if rs["metadata"]["uid"] in owner_uids(p))
            if rs["spec"].get("replicas") != remaining:
                rs["spec"]["replicas"] = remaining
                self.store.update(REPLICASETS, ns, rs)
        for rs in sets:
            self.replicaset_status(ns, rs["metadata"]["name"])

        # Status, as the deployment controller reports it.
        updated = len(keep) + len(leaving)
        ready = new_ready + sum(1 for p in old_pods + leaving if podlib.is_ready(p))
        total = updated + len(old_pods)
        at = objects.rfc3339(now)
        previous = (dep.get("status") or {}).get("conditions")
        max_unavailable = replicas // 4 if replicas >= 4 else 0  # 25%, rounded down
        available_ok = ready >= replicas - max_unavailable
        complete = updated == replicas and ready == replicas and total == replicas
        deadline = spec.get("progressDeadlineSeconds", 600)
        started = self.progress_start.get(uid, now)
        if complete:
            self.progress_start.pop(uid, None)
            progressing = cond("Progressing", True, "NewReplicaSetAvailable",
                               f'ReplicaSet "{rs_name}" has successfully progressed.', at, previous)
        elif now - started > deadline:
            progressing = cond("Progressing", False, "ProgressDeadlineExceeded",
                               f'ReplicaSet "{rs_name}" has timed out progressing.', at, previous)
        else:
            progressing = cond("Progressing", True, "ReplicaSetUpdated",
                               f'ReplicaSet "{rs_name}" is progressing.', at, previous)
            wake.append(started + deadline + 0.01)
        available = cond("Available", available_ok,
                         "MinimumReplicasAvailable" if available_ok else "MinimumReplicasUnavailable",
                         "Deployment has minimum availability." if available_ok
                         else "Deployment does not have minimum availability.", at, previous)
        status = compact({"observedGeneration": dep["metadata"].get("generation", 1), "replicas": total,
                          "updatedReplicas": updated, "readyReplicas": ready, "availableReplicas": ready,
                          "unavailableReplicas": max(0, total - ready) if total else max(0, replicas - ready),
                          "conditions": [available, progressing]})
        self.write_status(DEPLOYMENTS, ns, name, dep, status)
        for when in wake:
            self.at(when, ("deployments", ns, name))

    def replicaset_status(self, ns: str, name: str) -> None:
        rs = self.store.find(REPLICASETS, ns, name)
        if rs is None:
            return
        owned = self.owned(PODS, ns, rs["metadata"]["uid"])
        ready = sum(1 for p in owned if podlib.is_ready(p))
        status = compact({"replicas": len(owned), "fullyLabeledReplicas": len(owned), "readyReplicas": ready,
                          "availableReplicas": ready, "observedGeneration": rs["metadata"].get("generation", 1)},
                         keep=("replicas",))
        self.write_status(REPLICASETS, ns, name, rs, status)

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

    def unschedule_if_held(self, resource: str, ns: str, name: str, pod: dict) -> None:
        hold = self.workload_settings(resource, ns, name).get("unready")
        if hold and hold.get("reason") == "Unschedulable":
            pod["spec"].pop("nodeName", None)

    # -- statefulsets --------------------------------------------------------------------------

    def statefulset(self, ns: str, name: str, force_ready: bool = False) -> None:
        sts = self.store.find(STATEFULSETS, ns, name)
        if sts is None or sts["metadata"].get("deletionTimestamp"):
            return
        now = time.time()
        wake: list[float] = []
        uid = sts["metadata"]["uid"]
        spec = sts.get("spec") or {}
        replicas = spec.get("replicas", 1)
        template = spec.get("template") or {}
        revision = f"{name}-{objects.template_hash(template)}"
        ordered = spec.get("podManagementPolicy", "OrderedReady") == "OrderedReady" and not force_ready
        delay = self.delay_for("statefulsets", ns, name)
        owned = {p["metadata"]["name"]: p for p in self.owned(PODS, ns, uid)}
        # Pods of an old revision are replaced (deleted and created again at the new one).
        for pod_name, pod in list(owned.items()):
            if pod["metadata"].get("labels", {}).get("controller-revision-hash") != revision:
                self.delete_pod(pod)
                del owned[pod_name]
        current: list[dict] = []
        for ordinal in range(replicas):
            pod_name = f"{name}-{ordinal}"
            pod = owned.get(pod_name)
            if pod is None:
                if ordered and any(not podlib.is_ready(p) for p in current):
                    break
                labels = dict((template.get("metadata") or {}).get("labels") or {})
                labels.update({"controller-revision-hash": revision, "statefulset.kubernetes.io/pod-name": pod_name,
                               "apps.kubernetes.io/pod-index": str(ordinal)})
                pod = podlib.new_pod(pod_name, ns, labels, (template.get("metadata") or {}).get("annotations"),
                                     template, sts)
                pod["spec"]["hostname"] = pod_name
                if spec.get("serviceName"):
                    pod["spec"]["subdomain"] = spec["serviceName"]
                self.unschedule_if_held("statefulsets", ns, name, pod)
                for container in pod["spec"].get("containers") or []:
                    self.logs.restart(ns, pod_name, container["name"])
                pod = self.store.create(PODS, ns, pod)
                self.new_plan("statefulsets", ns, name, pod, now)
                self.emit(sts, "Normal", "SuccessfulCreate",
                          f"create Pod {pod_name} in StatefulSet {name} successful", "statefulset-controller")
            if force_ready and not podlib.is_ready(pod):
                self.plans.setdefault(pod["metadata"]["uid"], {})["readyAt"] = now
            current.append(pod)
        current = self.advance_pods("statefulsets", ns, name, current, now, wake)
        if ordered and len(current) < replicas and current and all(podlib.is_ready(p) for p in current):
            self.poke(("statefulsets", ns, name))  # the next ordinal may start now
        # Scale down: the highest ordinals go after the delay.
        extra = [p for n, p in owned.items() if int(n.rsplit("-", 1)[1]) >= replicas]
        for pod in extra:
            plan = self.plans.setdefault(pod["metadata"]["uid"], {})
            if force_ready or (delay is not None and plan.setdefault("deleteAt", now + delay) <= now):
                self.delete_pod(pod)
            elif delay is not None:
                wake.append(plan["deleteAt"])
        remaining = current + [p for p in extra if self.store.find(PODS, ns, p["metadata"]["name"])]
        ready = sum(1 for p in remaining if podlib.is_ready(p))
        status = dict(sts.get("status") or {})
        updated = sum(1 for p in remaining if p["metadata"]["labels"].get("controller-revision-hash") == revision)
        current_revision = status.get("currentRevision") or revision
        if updated == replicas and ready == replicas and len(remaining) == replicas:
            current_revision = revision
        current_count = sum(1 for p in remaining
                            if p["metadata"]["labels"].get("controller-revision-hash") == current_revision)
        new_status = compact({"observedGeneration": sts["metadata"].get("generation", 1), "replicas": len(remaining),
                              "readyReplicas": ready, "currentReplicas": current_count, "updatedReplicas": updated,
                              "currentRevision": current_revision, "updateRevision": revision, "collisionCount": 0,
                              "availableReplicas": ready},
                             keep=("replicas", "availableReplicas", "collisionCount"))
        self.write_status(STATEFULSETS, ns, name, sts, new_status)
        for when in wake:
            self.at(when, ("statefulsets", ns, name))

    # -- "ready now" from the control API ------------------------------------------------------

    def ready_now(self, resource: str, ns: str, name: str) -> dict:
        """Makes a workload ready at once (its hold cleared); returns when the status that says
        so was committed, so clients' reaction time can be measured from it."""
        with self.store.lock:
            workload = self.store.find(WORKLOAD_KINDS[resource], ns, name)
            if workload is None:
                raise KeyError(name)
            settings = self.workloads.get((resource, ns, name))
            if settings:
                settings.pop("unready", None)
            for pod in self.workload_pods(resource, ns, name):
                self.plans.setdefault(pod["metadata"]["uid"], {}).pop("held", None)
            if resource == "deployments":
                self.deployment(ns, name, force_ready=True)
            else:
                self.statefulset(ns, name, force_ready=True)
            ready_at = time.time()
            obj = self.store.get(WORKLOAD_KINDS[resource], ns, name)
        return {"readyAt": ready_at, "readyAtRFC3339": objects.rfc3339_micro(ready_at),
                "resourceVersion": obj["metadata"]["resourceVersion"], "status": obj.get("status")}

    # -- bare pods -----------------------------------------------------------------------------

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

    # -- jobs ----------------------------------------------------------------------------------

    def job_behaviour(self, job: dict) -> dict:
        """Control API settings over the Job's kubeemu.taster.dev/* annotations over defaults."""
        annotations = job["metadata"].get("annotations") or {}
        behaviour: dict = {}
        for key, field, convert in (("outcome", "outcome", str), ("run-seconds", "runSeconds", float),
                                    ("exit-code", "exitCode", int), ("failed-attempts", "failedAttempts", int),
                                    ("line-interval-seconds", "lineIntervalSeconds", float),
                                    ("start-delay-seconds", "startDelaySeconds", float)):
            if ANNOTATION + key in annotations:
                try:
                    behaviour[field] = convert(annotations[ANNOTATION + key])
                except ValueError:
                    pass
        if ANNOTATION + "logs" in annotations:
            text = annotations[ANNOTATION + "logs"]
            try:
                behaviour["logs"] = json.loads(text)
            except ValueError:
                behaviour["logs"] = text.splitlines()
        behaviour.update(self.jobs.get((job["metadata"]["namespace"], job["metadata"]["name"]), {}))
        return behaviour

    def job(self, ns: str, name: str) -> None:
        job = self.store.find(JOBS, ns, name)
        if job is None or job["metadata"].get("deletionTimestamp"):
            return
        status = job.get("status") or {}
        if any(c.get("type") in ("Complete", "Failed") and c.get("status") == "True" for c in status.get("conditions") or []):
            return
        if (job.get("spec") or {}).get("suspend"):
            return
        now = time.time()
        wake: list[float] = []
        behaviour = self.job_behaviour(job)
        spec = job["spec"]
        completions = spec.get("completions", 1) or 1
        backoff = spec.get("backoffLimit", 6)
        outcome = behaviour.get("outcome", "succeed")
        failing = behaviour.get("failedAttempts", backoff + 1 if outcome == "fail" else 0)
        owned = sorted(self.owned(PODS, ns, job["metadata"]["uid"]), key=lambda p: p["metadata"]["creationTimestamp"])
        # Move the active pod along its plan.
        for pod in owned:
            plan = self.plans.get(pod["metadata"]["uid"])
            if plan is None or plan.get("done"):
                continue
            pod = self.advance_job_pod(pod, plan, now, wake)
        owned = sorted(self.owned(PODS, ns, job["metadata"]["uid"]), key=lambda p: p["metadata"]["creationTimestamp"])
        succeeded = sum(1 for p in owned if podlib.phase(p) == "Succeeded")
        failed = sum(1 for p in owned if podlib.phase(p) == "Failed")
        active = [p for p in owned if podlib.phase(p) in ("Pending", "Running")]
        at = objects.rfc3339(now)
        new_status = {"startTime": status.get("startTime") or at}
        conditions = list(status.get("conditions") or [])
        finished = None
        if succeeded >= completions:
            finished = "Complete"
        elif failed > backoff or (outcome == "fail" and failed >= failing and failed > 0):
            finished = "Failed"
        elif not active:
            attempt = succeeded + failed
            exit_code = behaviour.get("exitCode", 1)
            fails = failed < failing
            pod = podlib.new_pod(f"{name}-{objects.random_suffix()}", ns,
                                 (spec["template"].get("metadata") or {}).get("labels") or {},
                                 (spec["template"].get("metadata") or {}).get("annotations"), spec["template"], job)
            pod = self.store.create(PODS, ns, pod)
            self.emit(job, "Normal", "SuccessfulCreate", f"Created pod: {pod['metadata']['name']}", "job-controller")
            start_delay = behaviour.get("startDelaySeconds", self.settings.job_start_delay)
            interval = behaviour.get("lineIntervalSeconds", self.settings.log_interval)
            lines = self.job_lines(behaviour, pod, attempt, fails, exit_code if fails else 0)
            run_at = now + start_delay
            longest = max((len(v) for v in lines.values()), default=0)
            end_at = run_at + max(behaviour.get("runSeconds", self.settings.job_run_seconds), longest * interval)
            self.plans[pod["metadata"]["uid"]] = {"runAt": run_at, "endAt": end_at, "interval": interval,
                                                   "lines": lines, "emitted": 0,
                                                   "exitCode": exit_code if fails else 0}
            wake.append(run_at)
            active = [pod]
        if finished == "Complete":
            reason, message = "CompletionsReached", "Reached expected number of succeeded pods"
            conditions = [cond("SuccessCriteriaMet", True, reason, message, at, conditions, probe=True),
                          cond("Complete", True, reason, message, at, conditions, probe=True)]
            new_status["completionTime"] = at
            self.emit(job, "Normal", "Completed", "Job completed", "job-controller")
        elif finished == "Failed":
            reason, message = "BackoffLimitExceeded", "Job has reached the specified backoff limit"
            conditions = [cond("FailureTarget", True, reason, message, at, conditions, probe=True),
                          cond("Failed", True, reason, message, at, conditions, probe=True)]
            self.emit(job, "Warning", "BackoffLimitExceeded", message, "job-controller")
        ready = sum(1 for p in active if podlib.is_ready(p))
        new_status.update({"active": len(active) if not finished else 0, "ready": ready if not finished else 0,
                           "succeeded": succeeded, "failed": failed, "terminating": 0,
                           "uncountedTerminatedPods": {}, "conditions": conditions})
        new_status = compact(new_status, keep=("ready", "terminating", "uncountedTerminatedPods"))
        if status.get("completionTime") and "completionTime" not in new_status:
            new_status["completionTime"] = status["completionTime"]
        self.write_status(JOBS, ns, name, job, new_status)
        for when in wake:
            self.at(when, ("jobs", ns, name))

    def job_lines(self, behaviour: dict, pod: dict, attempt: int, fails: bool, exit_code: int) -> dict[str, list[str]]:
        containers = [c["name"] for c in pod["spec"].get("containers") or []]
        logs = behaviour.get("logs")
        if logs is None:
            image = (pod["spec"].get("containers") or [{}])[0].get("image", "")
            logs = [f"kubeemu: job {pod['metadata']['name']} attempt {attempt + 1} running {image}",
                    f"kubeemu: exiting with code {exit_code}"]
        if isinstance(logs, list):
            return {containers[0]: [str(line) for line in logs]} if containers else {}
        return {c: [str(line) for line in logs.get(c, [])] for c in containers}

    def advance_job_pod(self, pod: dict, plan: dict, now: float, wake: list) -> dict:
        meta = pod["metadata"]
        if podlib.phase(pod) == "Pending" and plan["runAt"] <= now:
            pod = self.set_pod_status(pod, podlib.running_status(pod, ready=True, at=now))
        elif podlib.phase(pod) == "Pending":
            wake.append(plan["runAt"])
            return pod
        # Log lines due by now, each stamped with the moment it was due.
        due = int((now - plan["runAt"]) / plan["interval"]) + 1 if plan["interval"] > 0 else 10 ** 9
        longest = max((len(v) for v in plan["lines"].values()), default=0)
        for index in range(plan["emitted"], min(due, longest)):
            for container, lines in plan["lines"].items():
                if index < len(lines):
                    self.logs.append(meta["namespace"], meta["name"], container, lines[index],
                                     at=plan["runAt"] + index * plan["interval"])
        plan["emitted"] = max(plan["emitted"], min(due, longest))
        if plan["emitted"] < longest:
            wake.append(plan["runAt"] + plan["emitted"] * plan["interval"])
        if now >= plan["endAt"] and plan["emitted"] >= longest:
            pod = self.set_pod_status(pod, podlib.terminated_status(pod, plan["exitCode"], at=now))
            for container in pod["spec"].get("containers") or []:
                self.logs.finish(meta["namespace"], meta["name"], container["name"])
            plan["done"] = True
        else:
            wake.append(max(plan["endAt"], now + 0.001))
        return pod

    # -- garbage collection --------------------------------------------------------------------

    def collect(self, ns: str, uid: str, resource: str, name: str) -> None:
        """Dependents of a deleted (or foreground-deleting) owner: deleted, or orphaned."""
        if not uid:
            return
        owner_resource = find(*({"deployments": ("apps", "v1"), "replicasets": ("apps", "v1"),
                                 "statefulsets": ("apps", "v1"), "jobs": ("batch", "v1")}.get(resource, ("", "v1"))),
                              resource)
        owner = self.store.find(owner_resource, ns, name) if owner_resource else None
        if owner is not None and owner["metadata"]["uid"] != uid:
            owner = None
        policy = self.deletion.get(uid, "Background")
        if owner is not None:
            if "foregroundDeletion" not in (owner["metadata"].get("finalizers") or []):
                return  # still there, nothing to collect
            policy = "Foreground"
        if resource == "namespaces":
            return
        dependents = []
        for dependent_resource in (REPLICASETS, PODS):
            items, _ = self.store.list(dependent_resource, ns)
            dependents += [(dependent_resource, o) for o in items if uid in owner_uids(o)]
        for dependent_resource, obj in dependents:
            meta = obj["metadata"]
            if policy == "Orphan":
                obj["metadata"]["ownerReferences"] = [r for r in meta.get("ownerReferences") or [] if r.get("uid") != uid]
                if not obj["metadata"]["ownerReferences"]:
                    del obj["metadata"]["ownerReferences"]
                self.store.update(dependent_resource, ns, obj)
            else:
                self.deletion[meta["uid"]] = "Background"
                try:
                    self.store.delete(dependent_resource, ns, meta["name"])
                except Exception:  # noqa: BLE001
                    pass
                self.plans.pop(meta["uid"], None)
                if dependent_resource is PODS:
                    self.logs.forget(ns, meta["name"])
        if owner is not None and policy == "Foreground":
            owner["metadata"]["finalizers"] = [f for f in owner["metadata"].get("finalizers") or []
                                               if f != "foregroundDeletion"]
            self.store.update(owner_resource, ns, owner)
        if owner is None:
            self.deletion.pop(uid, None)
