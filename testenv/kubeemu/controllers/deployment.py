"""The deployment controller: a ReplicaSet per pod template, its pods created and made ready
(or held) on the workload's plan, old ReplicaSets' pods removed once the new ones are ready,
excess pods removed after the ready delay, and Deployment and ReplicaSet status as the real
controller reports them (conditions Available and Progressing, progressDeadlineSeconds)."""
from __future__ import annotations

import copy
import time

from .. import objects, pods as podlib
from .base import DEPLOYMENTS, PODS, REPLICASETS, ControllerBase, compact, cond, owner_uids


class DeploymentController(ControllerBase):
    def __init__(self, store, logs, settings) -> None:
        super().__init__(store, logs, settings)
        self.progress_start: dict[str, float] = {}             # workload uid -> when its rollout started

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
