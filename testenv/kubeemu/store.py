"""Objects, resource versions and the event history watches are served from."""
from __future__ import annotations

import copy
import datetime
import threading
import uuid

from .resources import Resource


def now_rfc3339() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Conflict(Exception):
    pass


class NotFound(Exception):
    pass


class Store:
    """A single, lock-protected object store with one global, increasing resourceVersion, like etcd."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.revision = 1
        self.objects: dict[tuple[str, str, str, str], dict] = {}  # (group, resource, namespace, name) -> object
        self.history: list[tuple[int, str, Resource, dict]] = []  # (rv, type, resource, object snapshot)
        for name in ("default", "kube-system", "kube-public"):
            self.ensure_namespace(name)

    def ensure_namespace(self, name: str) -> None:
        """Namespaces are real objects (kubectl reads them after a NotFound). A simplification of
        the real API: creating an object in a namespace that does not exist creates it."""
        from .resources import find
        namespaces = find("", "v1", "namespaces")
        with self.lock:
            if self._key(namespaces, "", name) not in self.objects:
                self.create(namespaces, "", {"metadata": {"name": name}, "spec": {"finalizers": ["kubernetes"]},
                                             "status": {"phase": "Active"}})

    def _key(self, resource: Resource, namespace: str, name: str) -> tuple[str, str, str, str]:
        return (resource.group, resource.name, namespace if resource.namespaced else "", name)

    def _record(self, event: str, resource: Resource, obj: dict) -> None:
        self.history.append((self.revision, event, resource, copy.deepcopy(obj)))
        self.changed.notify_all()

    def get(self, resource: Resource, namespace: str, name: str) -> dict:
        with self.lock:
            obj = self.objects.get(self._key(resource, namespace, name))
            if obj is None:
                raise NotFound(name)
            return copy.deepcopy(obj)

    def list(self, resource: Resource, namespace: str | None) -> tuple[list[dict], int]:
        """Objects of a resource, in one namespace or (None) all, and the current revision."""
        with self.lock:
            items = [copy.deepcopy(o) for (g, r, ns, _), o in sorted(self.objects.items())
                     if g == resource.group and r == resource.name and (namespace is None or ns == namespace)]
            return items, self.revision

    def create(self, resource: Resource, namespace: str, obj: dict) -> dict:
        with self.lock:
            meta = obj.setdefault("metadata", {})
            name = meta.get("name")
            key = self._key(resource, namespace, name)
            if key in self.objects:
                raise Conflict(name)
            if resource.namespaced:
                self.ensure_namespace(namespace)
            self.revision += 1
            meta.update({"uid": str(uuid.uuid4()), "resourceVersion": str(self.revision),
                         "creationTimestamp": now_rfc3339()})
            if resource.namespaced:
                meta["namespace"] = namespace
            meta.setdefault("generation", 1)
            obj["kind"], obj["apiVersion"] = resource.kind, resource.group_version
            self.objects[key] = obj
            self._record("ADDED", resource, obj)
            return copy.deepcopy(obj)

    def replace(self, resource: Resource, namespace: str, obj: dict, *, spec_changed: bool) -> dict:
        """Stores a new version of an existing object, bumping resourceVersion (and generation
        when the spec changed)."""
        with self.lock:
            name = obj["metadata"]["name"]
            key = self._key(resource, namespace, name)
            if key not in self.objects:
                raise NotFound(name)
            self.revision += 1
            obj["metadata"]["resourceVersion"] = str(self.revision)
            if spec_changed:
                obj["metadata"]["generation"] = obj["metadata"].get("generation", 1) + 1
            self.objects[key] = obj
            self._record("MODIFIED", resource, obj)
            return copy.deepcopy(obj)

    def delete(self, resource: Resource, namespace: str, name: str) -> dict:
        with self.lock:
            key = self._key(resource, namespace, name)
            obj = self.objects.pop(key, None)
            if obj is None:
                raise NotFound(name)
            self.revision += 1
            obj["metadata"]["resourceVersion"] = str(self.revision)
            self._record("DELETED", resource, obj)
            return copy.deepcopy(obj)
