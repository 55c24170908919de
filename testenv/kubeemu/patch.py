"""The three patch types the API server accepts besides server-side apply:
JSON merge patch (RFC 7386), JSON patch (RFC 6902) and Kubernetes' strategic merge patch."""
from __future__ import annotations

import copy

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSON_PATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


class PatchError(ValueError):
    pass


def merge_patch(target, patch):
    """RFC 7386."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


# -- RFC 6902 ----------------------------------------------------------------------------------

def _pointer(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"invalid JSON pointer {path!r}")
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc, parts: list[str]):
    node = doc
    for part in parts[:-1]:
        if isinstance(node, list):
            try:
                node = node[int(part)]
            except (ValueError, IndexError):
                raise PatchError(f"path element {part!r} not found") from None
        elif isinstance(node, dict) and part in node:
            node = node[part]
        else:
            raise PatchError(f"doc is missing path: /{'/'.join(parts)}")
    return node


def _read(doc, parts):
    if not parts:
        return doc
    parent = _parent(doc, parts)
    key = parts[-1]
    if isinstance(parent, list):
        try:
            return parent[int(key)]
        except (ValueError, IndexError):
            raise PatchError(f"index {key} out of range") from None
    if not isinstance(parent, dict) or key not in parent:
        raise PatchError(f"doc is missing path: /{'/'.join(parts)}")
    return parent[key]


def _add(doc, parts, value):
    if not parts:
        return value
    parent = _parent(doc, parts)
    key = parts[-1]
    if isinstance(parent, list):
        if key == "-":
            parent.append(value)
        else:
            index = int(key)
            if index < 0 or index > len(parent):
                raise PatchError(f"index {key} out of range")
            parent.insert(index, value)
    elif isinstance(parent, dict):
        parent[key] = value
    else:
        raise PatchError(f"cannot add at /{'/'.join(parts)}")
    return doc


def _remove(doc, parts):
    parent = _parent(doc, parts)
    key = parts[-1]
    if isinstance(parent, list):
        try:
            return parent.pop(int(key))
        except (ValueError, IndexError):
            raise PatchError(f"index {key} out of range") from None
    if not isinstance(parent, dict) or key not in parent:
        raise PatchError(f"doc is missing path: /{'/'.join(parts)}")
    return parent.pop(key)


def json_patch(target, operations):
    if not isinstance(operations, list):
        raise PatchError("a JSON patch must be a list of operations")
    doc = copy.deepcopy(target)
    for operation in operations:
        op, parts = operation.get("op"), _pointer(operation.get("path", ""))
        if op == "add":
            doc = _add(doc, parts, copy.deepcopy(operation.get("value")))
        elif op == "remove":
            _remove(doc, parts)
        elif op == "replace":
            _read(doc, parts)
            if parts:
                _remove(doc, parts)
            doc = _add(doc, parts, copy.deepcopy(operation.get("value")))
        elif op == "move":
            source = _pointer(operation.get("from", ""))
            value = _remove(doc, source)
            doc = _add(doc, parts, value)
        elif op == "copy":
            value = copy.deepcopy(_read(doc, _pointer(operation.get("from", ""))))
            doc = _add(doc, parts, value)
        elif op == "test":
            if _read(doc, parts) != operation.get("value"):
                raise PatchError(f"testing value /{'/'.join(parts)} failed")
        else:
            raise PatchError(f"Unexpected kind: {op}")
    return doc


# -- strategic merge patch ---------------------------------------------------------------------
# Lists merge by the key Kubernetes' types declare (patchMergeKey); lists of scalars with the
# merge strategy merge as sets; every other list is replaced. The directives kubectl sends
# ($patch, $setElementOrder/, $deleteFromPrimitiveList/, $retainKeys) are honoured.

MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name",
    "env": "name", "volumes": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "imagePullSecrets": "name", "ports": "containerPort", "conditions": "type",
    "ownerReferences": "uid", "hostAliases": "ip", "topologySpreadConstraints": "topologyKey",
    "resourceClaims": "name", "readinessGates": "conditionType",
}
MERGED_SCALAR_LISTS = {"finalizers"}


def strategic_merge_patch(target, patch, field: str | None = None):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    if patch.get("$patch") == "replace":
        return {k: copy.deepcopy(v) for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    result = copy.deepcopy(target) if isinstance(target, dict) else {}
    retain = patch.get("$retainKeys")
    orders = {}
    for key, value in patch.items():
        if key in ("$patch", "$retainKeys"):
            continue
        if key.startswith("$setElementOrder/"):
            orders[key.split("/", 1)[1]] = value
            continue
        if key.startswith("$deleteFromPrimitiveList/"):
            name = key.split("/", 1)[1]
            if isinstance(result.get(name), list):
                result[name] = [v for v in result[name] if v not in value]
            continue
        if value is None:
            result.pop(key, None)
        elif isinstance(value, list):
            result[key] = _merge_list(result.get(key), value, key)
        elif isinstance(value, dict):
            merged = strategic_merge_patch(result.get(key), value, key)
            if merged is None:
                result.pop(key, None)
            else:
                result[key] = merged
        else:
            result[key] = copy.deepcopy(value)
    for name, order in orders.items():
        if isinstance(result.get(name), list):
            result[name] = _apply_order(result[name], order, MERGE_KEYS.get(name))
    if isinstance(retain, list):
        result = {k: v for k, v in result.items() if k in retain}
    return result


def _merge_list(current, patch: list, field: str):
    current = current if isinstance(current, list) else []
    if any(isinstance(item, dict) and item.get("$patch") == "replace" for item in patch):
        return [copy.deepcopy(i) for i in patch if not (isinstance(i, dict) and i.get("$patch") == "replace")]
    key = MERGE_KEYS.get(field)
    if key and all(isinstance(item, dict) for item in patch):
        result = copy.deepcopy(current)
        for item in patch:
            match = next((i for i, existing in enumerate(result)
                          if isinstance(existing, dict) and existing.get(key) == item.get(key)), None)
            if item.get("$patch") == "delete":
                if match is not None:
                    result.pop(match)
                continue
            if match is None:
                result.append(strategic_merge_patch({}, item, field))
            else:
                result[match] = strategic_merge_patch(result[match], item, field)
        return result
    if field in MERGED_SCALAR_LISTS:
        return current + [v for v in patch if v not in current]
    return copy.deepcopy(patch)


def _apply_order(items: list, order: list, key: str | None) -> list:
    def ident(item):
        return item.get(key) if key and isinstance(item, dict) else item
    wanted = [ident(o) if isinstance(o, dict) else o for o in order]
    positioned = sorted((i for i in items if ident(i) in wanted), key=lambda i: wanted.index(ident(i)))
    rest = [i for i in items if ident(i) not in wanted]
    return positioned + rest


def apply(content_type: str, target: dict, patch) -> dict:
    """Applies a patch of the given media type; raises PatchError for a malformed patch."""
    media = content_type.split(";")[0].strip()
    if media == MERGE:
        if not isinstance(patch, dict):
            raise PatchError("a merge patch must be a JSON object")
        return merge_patch(target, patch)
    if media == STRATEGIC:
        if not isinstance(patch, dict):
            raise PatchError("a strategic merge patch must be a JSON object")
        return strategic_merge_patch(target, patch) or {}
    if media == JSON_PATCH:
        return json_patch(target, patch)
    raise PatchError(f"unsupported patch type {media}")
