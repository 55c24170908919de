"""The resources the emulator serves, and the discovery documents kubectl reads: the legacy
ones (/api, /apis, /api/v1, /apis/{group}/{version}) and aggregated discovery
(apidiscovery.k8s.io/v2 APIGroupDiscoveryList), which kubectl asks for first."""
from __future__ import annotations

from dataclasses import dataclass, field

ALL_VERBS = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
STATUS_VERBS = ("get", "patch", "update")


@dataclass(frozen=True)
class Resource:
    group: str            # "" for the core group
    version: str
    name: str             # plural, e.g. "deployments"
    singular: str
    kind: str
    namespaced: bool = True
    verbs: tuple[str, ...] = ALL_VERBS
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: dict[str, tuple[str, str, str, tuple[str, ...]]] = field(default_factory=dict)
    # name -> (group, version, kind, verbs) of what the subresource answers with
    stored: bool = True   # False for virtual resources (reviews) that are only created
    orphan_by_default: bool = False  # batch/v1 Jobs orphan their pods unless told otherwise

    @property
    def group_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def list_kind(self) -> str:
        return self.kind + "List"

    @property
    def qualified(self) -> str:
        """`deployments.apps`, as the API names a resource in error messages."""
        return f"{self.name}.{self.group}" if self.group else self.name

    @property
    def qualified_kind(self) -> str:
        """`Deployment.apps`, as validation errors name a kind."""
        return f"{self.kind}.{self.group}" if self.group else self.kind


def _status(kind: str, group: str, version: str) -> tuple[str, str, str, tuple[str, ...]]:
    return (group, version, kind, STATUS_VERBS)


SCALE = ("autoscaling", "v1", "Scale", STATUS_VERBS)

RESOURCES: list[Resource] = [
    Resource("", "v1", "namespaces", "namespace", "Namespace", namespaced=False, short_names=("ns",),
             verbs=("create", "delete", "get", "list", "patch", "update", "watch"),
             subresources={"status": _status("Namespace", "", "v1")}),
    Resource("", "v1", "pods", "pod", "Pod", short_names=("po",), categories=("all",),
             subresources={"log": ("", "v1", "Pod", ("get",)), "status": _status("Pod", "", "v1")}),
    Resource("", "v1", "events", "event", "Event", short_names=("ev",)),
    Resource("apps", "v1", "deployments", "deployment", "Deployment", short_names=("deploy",), categories=("all",),
             subresources={"scale": SCALE, "status": _status("Deployment", "apps", "v1")}),
    Resource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", short_names=("rs",), categories=("all",),
             subresources={"scale": SCALE, "status": _status("ReplicaSet", "apps", "v1")}),
    Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", short_names=("sts",), categories=("all",),
             subresources={"scale": SCALE, "status": _status("StatefulSet", "apps", "v1")}),
    Resource("batch", "v1", "jobs", "job", "Job", categories=("all",), orphan_by_default=True,
             subresources={"status": _status("Job", "batch", "v1")}),
    Resource("autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler",
             short_names=("hpa",), categories=("all",),
             subresources={"status": _status("HorizontalPodAutoscaler", "autoscaling", "v1")}),
    Resource("argoproj.io", "v1alpha1", "applications", "application", "Application", short_names=("app", "apps"),
             categories=("argo",), subresources={}),
    Resource("authentication.k8s.io", "v1", "selfsubjectreviews", "selfsubjectreview", "SelfSubjectReview",
             namespaced=False, verbs=("create",), stored=False),
    Resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
             "SelfSubjectAccessReview", namespaced=False, verbs=("create",), stored=False),
]


def find(group: str, version: str, name: str) -> Resource | None:
    for resource in RESOURCES:
        if resource.group == group and resource.version == version and resource.name == name:
            return resource
    return None


def by_name(name: str) -> Resource | None:
    """A resource by plural, singular, short name or kind, case-insensitively ("deploy", "sts")."""
    lowered = name.lower()
    for resource in RESOURCES:
        if lowered in (resource.name, resource.singular, resource.kind.lower(), *resource.short_names):
            return resource
    return None


def by_kind(api_version: str, kind: str) -> Resource | None:
    for resource in RESOURCES:
        if resource.group_version == api_version and resource.kind == kind:
            return resource
    return None


def group_versions() -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for resource in RESOURCES:
        pair = (resource.group, resource.version)
        if pair not in seen:
            seen.append(pair)
    return seen


# -- legacy discovery --------------------------------------------------------------------------

def api_versions() -> dict:
    """GET /api"""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:6443"}]}


def _group_entry(group: str, version: str) -> dict:
    gv = {"groupVersion": f"{group}/{version}", "version": version}
    return {"name": group, "versions": [gv], "preferredVersion": gv}


def api_group_list() -> dict:
    """GET /apis"""
    groups = [_group_entry(g, v) for g, v in group_versions() if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> dict | None:
    """GET /apis/{group}"""
    for name, version in group_versions():
        if name == group and group:
            return {"kind": "APIGroup", "apiVersion": "v1", **_group_entry(group, version)}
    return None


def api_resource_list(group: str, version: str) -> dict | None:
    """GET /api/v1 or /apis/{group}/{version}"""
    if (group, version) not in group_versions():
        return None
    entries = []
    for resource in RESOURCES:
        if resource.group != group or resource.version != version:
            continue
        entry = {"name": resource.name, "singularName": resource.singular, "namespaced": resource.namespaced,
                 "kind": resource.kind, "verbs": list(resource.verbs)}
        if resource.short_names:
            entry["shortNames"] = list(resource.short_names)
        if resource.categories:
            entry["categories"] = list(resource.categories)
        entries.append(entry)
        for sub, (sub_group, sub_version, kind, verbs) in resource.subresources.items():
            sub_entry = {"name": f"{resource.name}/{sub}", "singularName": "",
                         "namespaced": resource.namespaced, "kind": kind, "verbs": list(verbs)}
            if (sub_group, sub_version) != (group, version):
                sub_entry["group"] = sub_group
                sub_entry["version"] = sub_version
            entries.append(sub_entry)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": entries}


# -- aggregated discovery (apidiscovery.k8s.io/v2) ---------------------------------------------

AGGREGATED_V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
AGGREGATED_V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"


def _resource_discovery(resource: Resource) -> dict:
    entry = {"resource": resource.name,
             "responseKind": {"group": resource.group, "version": resource.version, "kind": resource.kind},
             "scope": "Namespaced" if resource.namespaced else "Cluster",
             "singularResource": resource.singular, "verbs": list(resource.verbs)}
    if resource.short_names:
        entry["shortNames"] = list(resource.short_names)
    if resource.categories:
        entry["categories"] = list(resource.categories)
    subs = []
    for sub, (group, version, kind, verbs) in resource.subresources.items():
        subs.append({"subresource": sub, "responseKind": {"group": group, "version": version, "kind": kind},
                     "verbs": list(verbs)})
    if subs:
        entry["subresources"] = subs
    return entry


def aggregated(core: bool, version: str = "v2") -> dict:
    """GET /api (core=True) or /apis with the aggregated discovery Accept header."""
    items = []
    for group, gv_version in group_versions():
        if bool(group) == core:
            continue
        resources = [_resource_discovery(r) for r in RESOURCES if r.group == group and r.version == gv_version]
        metadata = {"name": group, "creationTimestamp": None} if group else {"creationTimestamp": None}
        items.append({"metadata": metadata,
                      "versions": [{"version": gv_version, "resources": resources, "freshness": "Current"}]})
    return {"kind": "APIGroupDiscoveryList", "apiVersion": f"apidiscovery.k8s.io/{version}",
            "metadata": {}, "items": items}
