"""What the API server does to objects besides storing them: defaulting, the little validation
clients run into, Scale objects, names and hashes, and the time formats of the API."""
from __future__ import annotations

import datetime
import hashlib
import json
import secrets
import time

from .selectors import label_selector_string

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"  # k8s.io/apimachinery/pkg/util/rand: no vowels, no look-alikes


# -- time --------------------------------------------------------------------------------------

def rfc3339(at: float | None = None) -> str:
    """metav1.Time: seconds precision."""
    moment = datetime.datetime.fromtimestamp(time.time() if at is None else at, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_micro(at: float | None = None) -> str:
    """metav1.MicroTime."""
    moment = datetime.datetime.fromtimestamp(time.time() if at is None else at, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc3339_nano(at: float) -> str:
    """What the kubelet prefixes log lines with (timestamps=true)."""
    moment = datetime.datetime.fromtimestamp(at, datetime.timezone.utc)
    nanos = int(round((at - int(at)) * 1e9)) % 1_000_000_000
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{nanos:09d}Z"


def parse_time(text: str) -> float:
    text = text.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    if "." in text:  # Python wants at most microseconds
        head, rest = text.split(".", 1)
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{digits[:6].ljust(6, '0')}{zone}"
    return datetime.datetime.fromisoformat(text).timestamp()


def human_duration(seconds: float) -> str:
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration, as the AGE column shows it."""
    s = int(seconds)
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        rest = (hours // 24) % 365
        return f"{hours // 24 // 365}y" if rest == 0 else f"{hours // 24 // 365}y{rest}d"
    return f"{hours // 24 // 365}y"


def age(obj: dict, now: float | None = None) -> str:
    created = obj.get("metadata", {}).get("creationTimestamp")
    if not created:
        return "<unknown>"
    return human_duration((time.time() if now is None else now) - parse_time(created))


# -- names and hashes --------------------------------------------------------------------------

def random_suffix(length: int = 5) -> str:
    return "".join(secrets.choice(ALPHANUMS) for _ in range(length))


def template_hash(template: dict) -> str:
    """A stable short hash of a pod template, spelled like pod-template-hash values."""
    digest = int.from_bytes(hashlib.sha256(json.dumps(template, sort_keys=True).encode()).digest()[:4], "big")
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in str(digest))[:10]


def container_id() -> str:
    return "containerd://" + secrets.token_hex(32)


def image_id(image: str) -> str:
    name = image.split("@")[0].rsplit(":", 1)[0] if ":" in image.split("/")[-1] else image.split("@")[0]
    if "/" not in name:
        name = "docker.io/library/" + name
    return f"{name}@sha256:{hashlib.sha256(image.encode()).hexdigest()}"


# -- defaulting --------------------------------------------------------------------------------

def default_container(container: dict) -> None:
    image = container.get("image", "")
    tag = image.split("/")[-1].split("@")[0]
    pull = "Always" if (":" not in tag or tag.endswith(":latest")) and "@" not in image else "IfNotPresent"
    container.setdefault("imagePullPolicy", pull)
    container.setdefault("resources", {})
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")


def default_pod_spec(spec: dict, restart_policy: str = "Always") -> None:
    spec.setdefault("restartPolicy", restart_policy)
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            default_container(container)


def apply_defaults(kind: str, obj: dict) -> None:
    """The defaults the real API server fills in on create (the ones clients read back)."""
    spec = obj.setdefault("spec", {}) if kind not in ("Event", "Namespace") else obj.get("spec")
    if kind == "Deployment":
        spec.setdefault("replicas", 1)
        spec.setdefault("strategy", {"type": "RollingUpdate",
                                     "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}})
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("progressDeadlineSeconds", 600)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))
        obj.setdefault("status", {})
    elif kind == "ReplicaSet":
        spec.setdefault("replicas", 1)
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))
        obj.setdefault("status", {"replicas": 0})
    elif kind == "StatefulSet":
        spec.setdefault("replicas", 1)
        spec.setdefault("podManagementPolicy", "OrderedReady")
        strategy = spec.setdefault("updateStrategy", {"type": "RollingUpdate"})
        if strategy.get("type") == "RollingUpdate":
            strategy.setdefault("rollingUpdate", {"partition": 0})
        spec.setdefault("revisionHistoryLimit", 10)
        spec.setdefault("persistentVolumeClaimRetentionPolicy", {"whenDeleted": "Retain", "whenScaled": "Retain"})
        default_pod_spec(spec.setdefault("template", {}).setdefault("spec", {}))
        obj.setdefault("status", {"replicas": 0, "availableReplicas": 0})
    elif kind == "Job":
        spec.setdefault("parallelism", 1)
        spec.setdefault("completions", 1)
        spec.setdefault("backoffLimit", 6)
        spec.setdefault("completionMode", "NonIndexed")
        spec.setdefault("suspend", False)
        spec.setdefault("podReplacementPolicy", "TerminatingOrFailed")
        spec.setdefault("manualSelector", None)
        if spec.get("manualSelector") is None:
            spec.pop("manualSelector")
        template = spec.setdefault("template", {})
        default_pod_spec(template.setdefault("spec", {}), restart_policy=template.get("spec", {}).get("restartPolicy", ""))
        obj.setdefault("status", {})
    elif kind == "Pod":
        default_pod_spec(spec)
        spec.setdefault("serviceAccountName", "default")
        spec.setdefault("serviceAccount", spec["serviceAccountName"])
        spec.setdefault("enableServiceLinks", True)
        spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
        spec.setdefault("priority", 0)
        spec.setdefault("tolerations", [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}])
        obj.setdefault("status", {"phase": "Pending", "qosClass": "BestEffort"})
    elif kind == "Namespace":
        obj.setdefault("spec", {"finalizers": ["kubernetes"]})
        obj.setdefault("status", {"phase": "Active"})
        obj["metadata"].setdefault("labels", {})["kubernetes.io/metadata.name"] = obj["metadata"]["name"]


def job_labels(obj: dict) -> None:
    """The selector and template labels the Job API adds (manualSelector unset)."""
    uid, name = obj["metadata"]["uid"], obj["metadata"]["name"]
    spec = obj["spec"]
    if not spec.get("manualSelector"):
        spec["selector"] = {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
        labels = spec.setdefault("template", {}).setdefault("metadata", {}).setdefault("labels", {})
        labels.update({"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": name,
                       "controller-uid": uid, "job-name": name})


# -- validation (the parts clients meet) -------------------------------------------------------

def validate(kind: str, obj: dict) -> list[tuple[str, str, str]]:
    """Returns field errors as (field, type, detail), empty when valid."""
    errors: list[tuple[str, str, str]] = []
    spec = obj.get("spec") or {}
    if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
        replicas = spec.get("replicas", 1)
        if not isinstance(replicas, int) or replicas < 0:
            errors.append(("spec.replicas", f"Invalid value: {json.dumps(replicas)}", "must be greater than or equal to 0"))
        selector = spec.get("selector")
        if not selector:
            errors.append(("spec.selector", "Required value", ""))
        else:
            labels = (spec.get("template") or {}).get("metadata", {}).get("labels") or {}
            from .selectors import selector_matches
            if not selector_matches(selector, labels):
                errors.append(("spec.template.metadata.labels",
                               f"Invalid value: {json.dumps(labels, separators=(',', ':'))}",
                               "`selector` does not match template `labels`"))
        if not (spec.get("template") or {}).get("spec", {}).get("containers"):
            errors.append(("spec.template.spec.containers", "Required value", ""))
    if kind == "Job":
        policy = (spec.get("template") or {}).get("spec", {}).get("restartPolicy")
        if policy not in ("OnFailure", "Never"):
            errors.append(("spec.template.spec.restartPolicy", "Required value", 'valid values: "OnFailure", "Never"'))
        if not (spec.get("template") or {}).get("spec", {}).get("containers"):
            errors.append(("spec.template.spec.containers", "Required value", ""))
    if kind == "Pod" and not spec.get("containers"):
        errors.append(("spec.containers", "Required value", ""))
    return errors


# -- scale subresource -------------------------------------------------------------------------

def scale_of(obj: dict) -> dict:
    """The autoscaling/v1 Scale of a Deployment, ReplicaSet or StatefulSet."""
    meta = obj["metadata"]
    spec, status = obj.get("spec") or {}, obj.get("status") or {}
    return {"kind": "Scale", "apiVersion": "autoscaling/v1",
            "metadata": {"name": meta["name"], "namespace": meta.get("namespace"), "uid": meta["uid"],
                         "resourceVersion": meta["resourceVersion"], "creationTimestamp": meta["creationTimestamp"]},
            # autoscaling/v1 ScaleSpec.replicas is omitempty: a Scale at 0 has "spec": {}.
            "spec": {"replicas": spec.get("replicas", 1)} if spec.get("replicas", 1) else {},
            "status": {"replicas": status.get("replicas", 0),
                       "selector": label_selector_string(spec.get("selector"))}}
