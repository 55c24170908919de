"""Objects, resource versions and the event history watches are served from.

One lock-protected store with one global, increasing resourceVersion, like etcd. Every change
is kept in a bounded history; a watch from a resourceVersion older than the history's start
gets 410 Gone (Expired), as from a real API server whose watch cache moved on.
"""
from __future__ import annotations

import bisect
import copy
import threading
import time
import uuid
from dataclasses import dataclass

from . import objects
from .resources import Resource, find

GENERATION_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "Job", "HorizontalPodAutoscaler", "Application", "Pod"}


class AlreadyExists(Exception):
    pass


class Conflict(Exception):
    pass


class NotFound(Exception):
    pass


class Expired(Exception):
    pass


@dataclass
class Event:
    rv: int
    type: str              # ADDED, MODIFIED, DELETED
    resource: Resource
    obj: dict              # snapshot after the change (the last state for DELETED)
    old: dict | None       # snapshot before the change (None for ADDED)
    at: float              # time.time() of the commit


def has_status_subresource(resource: Resource) -> bool:
    return "status" in resource.subresources


class Store:
    def __init__(self, history_size: int = 20000) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.revision = 1
        self.objects: dict[tuple[str, str, str, str], dict] = {}  # (group, resource, namespace, name) -> object
        self.history: list[Event] = []
        self.history_rvs: list[int] = []
        self.history_size = history_size
        self.compacted = 1  # a watch can resume from any rv >= compacted
        self.listeners: list = []  # called with each Event, under the lock: keep them quick
        self.stopping = False
        self.auto_create_namespaces = True
        for name in ("default", "kube-system", "kube-public", "kube-node-lease"):
            self.ensure_namespace(name)

    # -- internals -----------------------------------------------------------------------------

    @staticmethod
    def key(resource: Resource, namespace: str, name: str) -> tuple[str, str, str, str]:
        return (resource.group, resource.name, namespace if resource.namespaced else "", name)

    def _record(self, event_type: str, resource: Resource, obj: dict, old: dict | None) -> Event:
        event = Event(self.revision, event_type, resource, copy.deepcopy(obj), old, time.time())
        self.history.append(event)
        self.history_rvs.append(event.rv)
        if len(self.history) > self.history_size:
            drop = len(self.history) - self.history_size // 2
            self.compacted = self.history[drop].rv - 1
            del self.history[:drop]
            del self.history_rvs[:drop]
        for listener in self.listeners:
            listener(event)
        self.changed.notify_all()
        return event

    def ensure_namespace(self, name: str) -> None:
        namespaces = find("", "v1", "namespaces")
        with self.lock:
            if self.key(namespaces, "", name) not in self.objects:
                self.create(namespaces, "", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})

    # -- reads ---------------------------------------------------------------------------------

    def get(self, resource: Resource, namespace: str, name: str) -> dict:
        with self.lock:
            obj = self.objects.get(self.key(resource, namespace, name))
            if obj is None:
                raise NotFound(name)
            return copy.deepcopy(obj)

    def find(self, resource: Resource, namespace: str, name: str) -> dict | None:
        try:
            return self.get(resource, namespace, name)
        except NotFound:
            return None

    def list(self, resource: Resource, namespace: str | None) -> tuple[list[dict], int]:
        """Objects of a resource, in one namespace or (None) all, sorted by namespace and name,
        and the current revision."""
        with self.lock:
            items = [copy.deepcopy(o) for (g, r, ns, _), o in sorted(self.objects.items())
                     if g == resource.group and r == resource.name and (namespace is None or ns == namespace)]
            return items, self.revision

    def events_since(self, rv: int) -> list[Event]:
        """Every change after rv; Expired when the history no longer reaches back to rv."""
        with self.lock:
            if rv < self.compacted:
                raise Expired(f"too old resource version: {rv} ({self.revision})")
            start = bisect.bisect_right(self.history_rvs, rv)
            return self.history[start:]

    def compact(self) -> int:
        """Forgets the history: any watch from an older resourceVersion is answered 410."""
        with self.lock:
            self.revision += 1  # nothing may resume from the current revision's past
            self.compacted = self.revision
            self.history.clear()
            self.history_rvs.clear()
            return self.compacted

    # -- writes --------------------------------------------------------------------------------

    def create(self, resource: Resource, namespace: str, obj: dict, uid: str | None = None) -> dict:
        with self.lock:
            obj = copy.deepcopy(obj)
            meta = obj.setdefault("metadata", {})
            if not meta.get("name") and meta.get("generateName"):
                meta["name"] = meta["generateName"] + objects.random_suffix()
            name = meta.get("name")
            key = self.key(resource, namespace, name)
            if key in self.objects:
                raise AlreadyExists(name)
            if resource.namespaced:
                if resource.name != "namespaces" and self.auto_create_namespaces:
                    self.ensure_namespace(namespace)
                meta["namespace"] = namespace
            else:
                meta.pop("namespace", None)
            self.revision += 1
            for drop in ("resourceVersion", "uid", "creationTimestamp", "deletionTimestamp", "generation"):
                meta.pop(drop, None)
            meta["uid"] = uid or str(uuid.uuid4())
            meta["resourceVersion"] = str(self.revision)
            meta["creationTimestamp"] = objects.rfc3339()
            if resource.kind in GENERATION_KINDS:
                meta["generation"] = 1
            obj["kind"], obj["apiVersion"] = resource.kind, resource.group_version
            self.objects[key] = obj
            self._record("ADDED", resource, obj, None)
            return copy.deepcopy(obj)

    def update(self, resource: Resource, namespace: str, obj: dict, *, expected_rv: str | None = None,
               subresource: str | None = None, keep_status: bool | None = None) -> dict:
        """Stores a new version of an existing object as PUT does: a stale expected_rv is a
        Conflict; the main resource keeps the old status (where there is a status subresource)
        and the status subresource keeps everything but status; generation bumps when the spec
        changed. A no-op update changes nothing, not even the resourceVersion."""
        with self.lock:
            name = obj.get("metadata", {}).get("name")
            key = self.key(resource, namespace, name)
            old = self.objects.get(key)
            if old is None:
                raise NotFound(name)
            if expected_rv and expected_rv != old["metadata"]["resourceVersion"]:
                raise Conflict(name)
            if keep_status is None:
                keep_status = has_status_subresource(resource)
            if subresource == "status":
                new = copy.deepcopy(old)
                new["status"] = copy.deepcopy(obj.get("status"))
                if new["status"] is None:
                    new.pop("status")
            else:
                new = copy.deepcopy(obj)
                new["kind"], new["apiVersion"] = resource.kind, resource.group_version
                if keep_status:
                    if "status" in old:
                        new["status"] = copy.deepcopy(old["status"])
                    else:
                        new.pop("status", None)
            meta, old_meta = new.setdefault("metadata", {}), old["metadata"]
            for fixed in ("uid", "creationTimestamp", "namespace", "deletionTimestamp", "deletionGracePeriodSeconds"):
                if fixed in old_meta:
                    meta[fixed] = old_meta[fixed]
                else:
                    meta.pop(fixed, None)
            meta["name"] = name
            meta["resourceVersion"] = old_meta["resourceVersion"]
            if "generation" in old_meta:
                meta["generation"] = old_meta["generation"]
                if subresource != "status" and new.get("spec") != old.get("spec"):
                    meta["generation"] = old_meta["generation"] + 1
            if new == old:
                return copy.deepcopy(old)
            self.revision += 1
            meta["resourceVersion"] = str(self.revision)
            if meta.get("deletionTimestamp") and not meta.get("finalizers"):
                self.objects.pop(key)
                self._record("DELETED", resource, new, copy.deepcopy(old))
                return copy.deepcopy(new)
            self.objects[key] = new
            self._record("MODIFIED", resource, new, copy.deepcopy(old))
            return copy.deepcopy(new)

    def put(self, resource: Resource, namespace: str, obj: dict) -> dict:
        """Creates or replaces an object with everything in it, status included (the control
        API's way to set up a scene)."""
        with self.lock:
            name = obj.get("metadata", {}).get("name")
            if self.key(resource, namespace, name) not in self.objects:
                return self.create(resource, namespace, obj)
            return self.update(resource, namespace, obj, keep_status=False)

    def mark_deleting(self, resource: Resource, namespace: str, name: str, finalizer: str | None) -> dict:
        """Sets deletionTimestamp (and a finalizer such as foregroundDeletion): the object stays
        until its finalizers are removed."""
        with self.lock:
            key = self.key(resource, namespace, name)
            old = self.objects.get(key)
            if old is None:
                raise NotFound(name)
            new = copy.deepcopy(old)
            meta = new["metadata"]
            meta.setdefault("deletionTimestamp", objects.rfc3339())
            meta.setdefault("deletionGracePeriodSeconds", 0)
            if finalizer and finalizer not in meta.setdefault("finalizers", []):
                meta["finalizers"].append(finalizer)
            if new == old:
                return copy.deepcopy(old)
            self.revision += 1
            meta["resourceVersion"] = str(self.revision)
            self.objects[key] = new
            self._record("MODIFIED", resource, new, copy.deepcopy(old))
            return copy.deepcopy(new)

    def delete(self, resource: Resource, namespace: str, name: str) -> dict:
        with self.lock:
            key = self.key(resource, namespace, name)
            obj = self.objects.pop(key, None)
            if obj is None:
                raise NotFound(name)
            old = copy.deepcopy(obj)
            self.revision += 1
            obj["metadata"]["resourceVersion"] = str(self.revision)
            self._record("DELETED", resource, obj, old)
            return copy.deepcopy(obj)

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            self.changed.notify_all()
