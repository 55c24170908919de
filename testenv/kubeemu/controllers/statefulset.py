"""The statefulset controller: pods NAME-0..N-1 at the template's revision, created one at a
time while the earlier ones are not ready (podManagementPolicy OrderedReady), replaced when the
revision changes, the highest ordinals removed after the ready delay, and StatefulSet status."""
from __future__ import annotations

import time

from .. import objects, pods as podlib
from .base import PODS, STATEFULSETS, ControllerBase, compact


class StatefulSetController(ControllerBase):
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
