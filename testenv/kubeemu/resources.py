"""The resources the emulator serves, and the discovery documents kubectl reads."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Resource:
    group: str            # "" for the core group
    version: str
    name: str             # plural, e.g. "deployments"
    singular: str
    kind: str
    namespaced: bool = True
    verbs: tuple[str, ...] = ("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch")
    short_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    subresources: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)  # name -> (kind, verbs)

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


RESOURCES: list[Resource] = [
    Resource("", "v1", "namespaces", "namespace", "Namespace", namespaced=False, short_names=("ns",),
             verbs=("create", "delete", "get", "list", "patch", "update", "watch")),
    Resource("", "v1", "pods", "pod", "Pod", short_names=("po",), categories=("all",),
             subresources={"log": ("Pod", ("get",)), "status": ("Pod", ("get", "patch", "update"))}),
    Resource("", "v1", "events", "event", "Event", short_names=("ev",)),
    Resource("apps", "v1", "deployments", "deployment", "Deployment", short_names=("deploy",), categories=("all",),
             subresources={"scale": ("Scale", ("get", "patch", "update")), "status": ("Deployment", ("get", "patch", "update"))}),
    Resource("apps", "v1", "statefulsets", "statefulset", "StatefulSet", short_names=("sts",), categories=("all",),
             subresources={"scale": ("Scale", ("get", "patch", "update")), "status": ("StatefulSet", ("get", "patch", "update"))}),
    Resource("batch", "v1", "jobs", "job", "Job", categories=("all",),
             subresources={"status": ("Job", ("get", "patch", "update"))}),
    Resource("autoscaling", "v1", "horizontalpodautoscalers", "horizontalpodautoscaler", "HorizontalPodAutoscaler",
             short_names=("hpa",), categories=("all",), subresources={"status": ("HorizontalPodAutoscaler", ("get", "patch", "update"))}),
    Resource("argoproj.io", "v1alpha1", "applications", "application", "Application", short_names=("app", "apps")),
    Resource("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "selfsubjectaccessreview",
             "SelfSubjectAccessReview", namespaced=False, verbs=("create",)),
]

def find(group: str, version: str, name: str) -> Resource | None:
    for resource in RESOURCES:
        if resource.group == group and resource.version == version and resource.name == name:
            return resource
    return None


def group_versions() -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for resource in RESOURCES:
        pair = (resource.group, resource.version)
        if pair not in seen:
            seen.append(pair)
    return seen


def api_versions() -> dict:
    """GET /api"""
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1:443"}]}


def api_group_list() -> dict:
    """GET /apis"""
    groups = []
    for group, version in group_versions():
        if not group:
            continue
        gv = {"groupVersion": f"{group}/{version}", "version": version}
        groups.append({"name": group, "versions": [gv], "preferredVersion": gv})
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(group: str) -> dict | None:
    """GET /apis/{group}"""
    for name, version in group_versions():
        if name == group and group:
            gv = {"groupVersion": f"{group}/{version}", "version": version}
            return {"kind": "APIGroup", "apiVersion": "v1", "name": group, "versions": [gv], "preferredVersion": gv}
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
        for sub, (kind, verbs) in resource.subresources.items():
            sub_entry = {"name": f"{resource.name}/{sub}", "singularName": "", "namespaced": resource.namespaced,
                         "kind": kind, "verbs": list(verbs)}
            if sub == "scale":
                sub_entry["group"] = "autoscaling"
                sub_entry["version"] = "v1"
            entries.append(sub_entry)
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": f"{group}/{version}" if group else version,
            "resources": entries}
