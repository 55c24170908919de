"""The simulated control plane: every controller in one thread, woken by store changes and by
timers. Each change is routed to the controller of the object it concerns (a pod or ReplicaSet to
its owner's), and every reconcile holds the store's lock, so the HTTP side (and the control
API's "ready now") sees consistent steps."""
from __future__ import annotations

import heapq
import threading
import time
import traceback

from .. import objects
from ..store import Event, Store
from .base import WORKLOAD_KINDS, Settings, controller_ref
from .deployment import DeploymentController
from .gc import GarbageCollector
from .job import JobController
from .statefulset import StatefulSetController


class Controller(DeploymentController, StatefulSetController, JobController, GarbageCollector):
    def __init__(self, store: Store, logs, settings: Settings) -> None:
        super().__init__(store, logs, settings)
        self.stopping = False
        self.errors: list[str] = []
        store.listeners.append(self.notify)
        self.thread = threading.Thread(target=self.run, name="kubeemu-controller", daemon=True)

    # -- plumbing ----------------------------------------------------------------------------------

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

    # -- the control API ---------------------------------------------------------------------------

    def forget_namespace(self, ns: str) -> None:
        for key in [k for k in self.workloads if k[1] == ns]:
            del self.workloads[key]
        for key in [k for k in self.jobs if k[0] == ns]:
            del self.jobs[key]

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
