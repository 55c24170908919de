"""meta.k8s.io/v1 Table rendering, so `kubectl get` prints what it prints against a cluster
(the server decides columns and cells; kubectl only lays them out)."""
from __future__ import annotations

import time

from . import objects
from .selectors import label_selector_string

TABLE_MEDIA = "application/json;as=Table;v=v1;g=meta.k8s.io"

NAME = {"name": "Name", "type": "string", "format": "name", "priority": 0,
        "description": "Name must be unique within a namespace. Is required when creating resources, although some "
                       "resources may allow a client to request the generation of an appropriate name automatically. "
                       "Name is primarily intended for creation idempotence and configuration definition. Cannot be "
                       "updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names"}


def column(name: str, kind: str = "string", description: str = "", priority: int = 0, format: str = "") -> dict:
    return {"name": name, "type": kind, "format": format, "description": description, "priority": priority}


AGE = column("Age", description="CreationTimestamp is a timestamp representing the server time when this object was "
                                "created.")


def _containers(template_spec: dict) -> tuple[str, str]:
    containers = template_spec.get("containers") or []
    return ",".join(c.get("name", "") for c in containers), ",".join(c.get("image", "") for c in containers)


def _deployment(obj, now):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj["metadata"]["name"], f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            status.get("updatedReplicas", 0), status.get("availableReplicas", 0), objects.age(obj, now),
            names, images, label_selector_string(spec.get("selector"))]


def _replicaset(obj, now):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj["metadata"]["name"], spec.get("replicas", 1), status.get("replicas", 0), status.get("readyReplicas", 0),
            objects.age(obj, now), names, images, label_selector_string(spec.get("selector"))]


def _statefulset(obj, now):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj["metadata"]["name"], f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
            objects.age(obj, now), names, images]


def pod_status_reason(pod: dict) -> str:
    """The STATUS column, as kubectl's printPod works it out."""
    status = pod.get("status") or {}
    reason = status.get("reason") or status.get("phase") or "Unknown"
    has_running = False
    for container in reversed(status.get("containerStatuses") or []):
        state = container.get("state") or {}
        if state.get("waiting", {}).get("reason"):
            reason = state["waiting"]["reason"]
        elif state.get("terminated", {}).get("reason"):
            reason = state["terminated"]["reason"]
        elif "terminated" in state:
            terminated = state["terminated"]
            reason = f"Signal:{terminated['signal']}" if terminated.get("signal") else f"ExitCode:{terminated.get('exitCode', 0)}"
        elif container.get("ready") and "running" in state:
            has_running = True
    if reason == "Completed" and has_running:
        reason = "Running" if any(c.get("type") == "Ready" and c.get("status") == "True"
                                  for c in status.get("conditions") or []) else "NotReady"
    if pod.get("metadata", {}).get("deletionTimestamp"):
        reason = "Terminating"
    return reason


def _pod(obj, now):
    status, spec = obj.get("status") or {}, obj.get("spec") or {}
    statuses = status.get("containerStatuses") or []
    ready = sum(1 for c in statuses if c.get("ready"))
    total = len(spec.get("containers") or [])
    restarts = sum(c.get("restartCount", 0) for c in statuses)
    last = None
    for c in statuses:
        finished = ((c.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
        if finished:
            moment = objects.parse_time(finished)
            last = moment if last is None or moment > last else last
    restart_text = str(restarts) if last is None or not restarts else f"{restarts} ({objects.human_duration(now - last)} ago)"
    gates = spec.get("readinessGates") or []
    return [obj["metadata"]["name"], f"{ready}/{total}", pod_status_reason(obj), restart_text, objects.age(obj, now),
            status.get("podIP") or "<none>", spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>",
            f"{len(gates)}/{len(gates)}" if gates else "<none>"]


def _job_status(obj) -> str:
    status = obj.get("status") or {}
    for kind in ("Failed", "Complete", "Suspended", "FailureTarget", "SuccessCriteriaMet"):
        for c in status.get("conditions") or []:
            if c.get("type") == kind and c.get("status") == "True":
                return {"FailureTarget": "FailureTarget", "SuccessCriteriaMet": "SuccessCriteriaMet"}.get(kind, kind)
    if (obj.get("spec") or {}).get("suspend"):
        return "Suspended"
    return "Running"


def _job(obj, now):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    completions = spec.get("completions")
    text = f"{status.get('succeeded', 0)}/{completions}" if completions is not None else \
        f"{status.get('succeeded', 0)}/1 of {spec.get('parallelism', 1)}"
    duration = ""
    if status.get("startTime"):
        start = objects.parse_time(status["startTime"])
        end = objects.parse_time(status["completionTime"]) if status.get("completionTime") else now
        duration = objects.human_duration(end - start)
    names, images = _containers((spec.get("template") or {}).get("spec") or {})
    return [obj["metadata"]["name"], _job_status(obj), text, duration, objects.age(obj, now), names, images,
            label_selector_string(spec.get("selector"))]


def _namespace(obj, now):
    return [obj["metadata"]["name"], (obj.get("status") or {}).get("phase", "Active"), objects.age(obj, now)]


def _event(obj, now):
    last = obj.get("lastTimestamp") or obj.get("eventTime") or obj["metadata"].get("creationTimestamp")
    first = obj.get("firstTimestamp") or last
    involved = obj.get("involvedObject") or {}
    seen = objects.human_duration(now - objects.parse_time(last)) if last else "<unknown>"
    source = (obj.get("source") or {}).get("component") or obj.get("reportingComponent") or ""
    return [seen, obj.get("type", ""), obj.get("reason", ""), f"{involved.get('kind', '').lower()}/{involved.get('name', '')}",
            obj.get("message", ""), involved.get("fieldPath", ""), source,
            objects.human_duration(now - objects.parse_time(first)) if first else "<unknown>",
            obj.get("count", 1), obj["metadata"]["name"]]


def _application(obj, now):
    status = obj.get("status") or {}
    return [obj["metadata"]["name"], (status.get("sync") or {}).get("status", ""),
            (status.get("health") or {}).get("status", ""), objects.age(obj, now)]


def _hpa(obj, now):
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    target = spec.get("scaleTargetRef") or {}
    return [obj["metadata"]["name"], f"{target.get('kind', '')}/{target.get('name', '')}",
            f"cpu: {status.get('currentCPUUtilizationPercentage', '<unknown>')}%/{spec.get('targetCPUUtilizationPercentage', 80)}%",
            spec.get("minReplicas", 1), spec.get("maxReplicas", 0), status.get("currentReplicas", 0), objects.age(obj, now)]


def _default(obj, now):
    return [obj["metadata"]["name"], objects.age(obj, now)]


WIDE = 1
TABLES = {
    "deployments": ([NAME, column("Ready", description="Number of the pod with ready state"),
                     column("Up-to-date", "integer", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                     column("Available", "integer", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                     AGE, column("Containers", description="Names of each container in the template.", priority=WIDE),
                     column("Images", description="Images referenced by each container in the template.", priority=WIDE),
                     column("Selector", description="Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", priority=WIDE)],
                    _deployment),
    "replicasets": ([NAME, column("Desired", "integer", "Replicas is the number of desired pods."),
                     column("Current", "integer", "Replicas is the most recently observed number of replicas."),
                     column("Ready", "integer", "The number of ready replicas for this replica set."), AGE,
                     column("Containers", priority=WIDE), column("Images", priority=WIDE), column("Selector", priority=WIDE)],
                    _replicaset),
    "statefulsets": ([NAME, column("Ready", description="Number of the pod with ready state"), AGE,
                      column("Containers", priority=WIDE), column("Images", priority=WIDE)], _statefulset),
    "pods": ([NAME, column("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
              column("Status", description="The aggregate status of the containers in this pod."),
              column("Restarts", description="The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
              AGE, column("IP", description="IP address allocated to the pod. Routable at least within the cluster.", priority=WIDE),
              column("Node", description="Name of the node this pod is scheduled on.", priority=WIDE),
              column("Nominated Node", description="Name of the node this pod may be scheduled on once it has room.", priority=WIDE),
              column("Readiness Gates", description="If specified, all readiness gates will be evaluated for pod readiness.", priority=WIDE)],
             _pod),
    "jobs": ([NAME, column("Status", description="Status of the job."),
              column("Completions", description="The desired number of successfully finished pods the job should be run with."),
              column("Duration", description="Time required to complete the job."), AGE,
              column("Containers", priority=WIDE), column("Images", priority=WIDE), column("Selector", priority=WIDE)],
             _job),
    "namespaces": ([NAME, column("Status", description="The status of the namespace"), AGE], _namespace),
    "events": ([column("Last Seen"), column("Type"), column("Reason"), column("Object"), column("Message"),
                column("Subobject", priority=WIDE), column("Source", priority=WIDE), column("First Seen", priority=WIDE),
                column("Count", priority=WIDE), column("Name", priority=WIDE)], _event),
    "applications": ([NAME, column("Sync Status"), column("Health Status"), AGE], _application),
    "horizontalpodautoscalers": ([NAME, column("Reference"), column("Targets"), column("MinPods", "integer"),
                                  column("MaxPods", "integer"), column("Replicas", "integer"), AGE], _hpa),
}


def wants_table(accept: str) -> bool:
    """Whether the Accept header asks for a meta.k8s.io/v1 Table before anything else."""
    for part in (accept or "").split(","):
        params = {p.split("=", 1)[0].strip(): p.split("=", 1)[1].strip() for p in part.split(";")[1:] if "=" in p}
        media = part.split(";")[0].strip()
        if params.get("as") == "Table" and params.get("g") == "meta.k8s.io" and params.get("v") in ("v1", "v1beta1"):
            return True
        if media in ("application/json", "*/*", "application/*"):
            return False
    return False


def row_object(obj: dict, include: str) -> dict | None:
    if include == "None":
        return None
    if include == "Object":
        return obj
    meta = dict(obj.get("metadata") or {})
    meta.pop("managedFields", None)
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": meta}


def table(resource: str, items: list[dict], resource_version: str | None, include: str = "Metadata") -> dict:
    columns, render = TABLES.get(resource, ([NAME, AGE], _default))
    now = time.time()
    rows = []
    for obj in items:
        row = {"cells": render(obj, now)}
        inner = row_object(obj, include)
        if inner is not None:
            row["object"] = inner
        rows.append(row)
    metadata = {"resourceVersion": resource_version} if resource_version else {}
    return {"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
            "columnDefinitions": columns, "rows": rows}
