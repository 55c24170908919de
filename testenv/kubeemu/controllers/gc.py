"""The garbage collector: when an owner is deleted (or is being deleted in the foreground), its
ReplicaSets and pods are deleted, or orphaned, as the DELETE's propagationPolicy said."""
from __future__ import annotations

from ..resources import find
from .base import PODS, REPLICASETS, ControllerBase, owner_uids


class GarbageCollector(ControllerBase):
    def __init__(self, store, logs, settings) -> None:
        super().__init__(store, logs, settings)
        self.deletion: dict[str, str] = {}                     # uid -> propagation policy of its DELETE

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
