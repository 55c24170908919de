"""A minimal OpenAPI v3 (/openapi/v3 and one document per group version).

It carries what kubectl reads from it: for each kind, the PATCH operation with its
x-kubernetes-group-version-kind and the query parameters it accepts (fieldValidation, dryRun,
fieldManager, force), so `kubectl create/apply` sees that the server validates fields itself and
sends fieldValidation=Strict instead of validating against schemas client-side. No schemas are
published: `kubectl explain` has nothing to show, and apply computes its strategic merge patch
from kubectl's built-in types (JSON merge patch for Applications), as kubectl does whenever a
server's OpenAPI lacks them. /openapi/v2 is absent (404), as on servers that have dropped it.
"""
from __future__ import annotations

import hashlib
import json

from . import resources as res

PARAMETERS = [
    {"name": "dryRun", "in": "query", "description": "When present, indicates that modifications should not be persisted.",
     "schema": {"type": "string", "uniqueItems": True}},
    {"name": "fieldManager", "in": "query", "description": "fieldManager is a name associated with the actor or entity "
     "that is making these changes.", "schema": {"type": "string", "uniqueItems": True}},
    {"name": "fieldValidation", "in": "query", "description": "fieldValidation instructs the server on how to handle "
     "objects in the request containing unknown or duplicate fields.", "schema": {"type": "string", "uniqueItems": True}},
    {"name": "force", "in": "query", "description": "Force is going to \"force\" Apply requests.",
     "schema": {"type": "boolean", "uniqueItems": True}},
]


def _gv_path(group: str, version: str) -> str:
    return f"api/{version}" if not group else f"apis/{group}/{version}"


def group_version_document(group: str, version: str) -> dict | None:
    if (group, version) not in res.group_versions():
        return None
    paths = {}
    for resource in res.RESOURCES:
        if (resource.group, resource.version) != (group, version) or "patch" not in resource.verbs:
            continue
        scope = "namespaces/{namespace}/" if resource.namespaced else ""
        path = f"/{_gv_path(group, version)}/{scope}{resource.name}/{{name}}"
        gvk = {"group": group, "version": version, "kind": resource.kind}
        paths[path] = {"patch": {
            "operationId": f"patch{resource.kind}", "x-kubernetes-action": "patch",
            "x-kubernetes-group-version-kind": gvk, "parameters": PARAMETERS,
            "responses": {"200": {"description": "OK"}}}}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.37.0-kubeemu"},
            "paths": paths, "components": {"schemas": {}}}


def _hash(group: str, version: str) -> str:
    document = group_version_document(group, version)
    return hashlib.sha512(json.dumps(document, sort_keys=True).encode()).hexdigest()[:32].upper()


def document(parts: list[str]) -> dict | None:
    """GET /openapi/<parts>"""
    if parts == ["v3"]:
        return {"paths": {_gv_path(g, v): {"serverRelativeURL": f"/openapi/v3/{_gv_path(g, v)}?hash={_hash(g, v)}"}
                          for g, v in res.group_versions()}}
    if parts[:1] == ["v3"]:
        rest = parts[1:]
        if rest[:1] == ["api"] and len(rest) == 2:
            return group_version_document("", rest[1])
        if rest[:1] == ["apis"] and len(rest) == 3:
            return group_version_document(rest[1], rest[2])
    return None


# -- server-side field validation (fieldValidation=Strict) --------------------------------------

TOP_LEVEL = {"apiVersion", "kind", "metadata", "spec", "status"}
EXTRA_TOP_LEVEL = {"Event": {"involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp",
                             "count", "type", "eventTime", "series", "action", "related", "reportingComponent",
                             "reportingInstance"}}
METADATA = {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
            "ownerReferences", "finalizers", "managedFields"}


def unknown_fields(kind: str, obj: dict) -> list[str]:
    """Unknown top-level and metadata fields (the emulator has no schemas below that: deeper
    typos are accepted, unlike a real server with fieldValidation=Strict)."""
    allowed = TOP_LEVEL | EXTRA_TOP_LEVEL.get(kind, set())
    if kind in ("Application",):
        allowed = allowed | {"operation"}
    found = [f'unknown field "{key}"' for key in obj if key not in allowed]
    found += [f'unknown field "metadata.{key}"' for key in (obj.get("metadata") or {}) if key not in METADATA]
    return found
