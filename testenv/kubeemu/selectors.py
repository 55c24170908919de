"""Label and field selectors, parsed and matched the way the API server does.

Label selectors: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k` (exists), `!k`.
Field selectors: `f=v`, `f==v`, `f!=v` on the fields a resource supports (metadata.name and
metadata.namespace everywhere, a few more per resource); anything else is a 400, as in Kubernetes.
"""
from __future__ import annotations

import re


class SelectorError(ValueError):
    pass


Requirement = tuple[str, str, tuple[str, ...]]  # (key, operator, values); operators: = != in notin exists !exists

_KEY = re.compile(r"^([A-Za-z0-9][-A-Za-z0-9_.]*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")


def _split_terms(text: str) -> list[str]:
    """Splits on commas that are not inside parentheses."""
    terms, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return [t.strip() for t in terms if t.strip()]


def parse_labels(text: str) -> list[Requirement]:
    requirements: list[Requirement] = []
    for term in _split_terms(text or ""):
        match = re.match(r"^(\S+)\s+(in|notin)\s*\((.*)\)$", term)
        if match:
            key, op, values = match.group(1), match.group(2), match.group(3)
            requirements.append((key, op, tuple(sorted(v.strip() for v in values.split(",") if v.strip()))))
        elif "!=" in term:
            key, value = term.split("!=", 1)
            requirements.append((key.strip(), "!=", (value.strip(),)))
        elif "==" in term:
            key, value = term.split("==", 1)
            requirements.append((key.strip(), "=", (value.strip(),)))
        elif "=" in term:
            key, value = term.split("=", 1)
            requirements.append((key.strip(), "=", (value.strip(),)))
        elif term.startswith("!"):
            requirements.append((term[1:].strip(), "!exists", ()))
        else:
            requirements.append((term, "exists", ()))
    for key, _, _ in requirements:
        if not _KEY.match(key):
            raise SelectorError(f"unable to parse requirement: invalid label key {key!r}")
    return requirements


def labels_match(labels: dict | None, requirements: list[Requirement]) -> bool:
    labels = labels or {}
    for key, op, values in requirements:
        present = key in labels
        value = labels.get(key)
        if op == "=" and value != values[0]:
            return False
        if op == "!=" and present and value == values[0]:
            return False
        if op == "in" and (not present or value not in values):
            return False
        if op == "notin" and present and value in values:
            return False
        if op == "exists" and not present:
            return False
        if op == "!exists" and present:
            return False
    return True


def label_selector_string(selector: dict | None) -> str:
    """metav1.LabelSelector -> its string form (as in Scale.status.selector), keys sorted."""
    if not selector:
        return ""
    parts: list[tuple[str, str]] = []
    for key, value in (selector.get("matchLabels") or {}).items():
        parts.append((key, f"{key}={value}"))
    for expression in selector.get("matchExpressions") or []:
        key, op = expression.get("key", ""), expression.get("operator", "")
        values = ",".join(sorted(expression.get("values") or []))
        text = {"In": f"{key} in ({values})", "NotIn": f"{key} notin ({values})",
                "Exists": key, "DoesNotExist": f"!{key}"}.get(op, key)
        parts.append((key, text))
    return ",".join(text for _, text in sorted(parts))


def selector_matches(selector: dict | None, labels: dict | None) -> bool:
    """Whether a metav1.LabelSelector selects these labels (an empty selector selects everything)."""
    return labels_match(labels, parse_labels(label_selector_string(selector)))


# -- field selectors ---------------------------------------------------------------------------

def _get(obj: dict, path: str):
    value = obj
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


FIELDS: dict[str, tuple[str, ...]] = {
    "pods": ("spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName",
             "status.phase", "status.podIP", "status.nominatedNodeName"),
    "events": ("involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
               "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
               "reason", "reportingComponent", "source", "type"),
    "jobs": ("status.successful",),
    "namespaces": ("status.phase",),
    "replicasets": ("status.replicas",),
}


def parse_fields(text: str, resource: str) -> list[Requirement]:
    allowed = ("metadata.name", "metadata.namespace") + FIELDS.get(resource, ())
    requirements: list[Requirement] = []
    for term in _split_terms(text or ""):
        for op, token in (("!=", "!="), ("=", "=="), ("=", "=")):
            if token in term:
                key, value = term.split(token, 1)
                key = key.strip()
                if key not in allowed:
                    raise SelectorError(f'field label not supported: {key}')
                requirements.append((key, op, (value.strip(),)))
                break
        else:
            raise SelectorError(f"invalid selector: '{text}'; can't understand '{term}'")
    return requirements


def fields_match(obj: dict, requirements: list[Requirement]) -> bool:
    for key, op, values in requirements:
        actual = _get(obj, key)
        if key == "source":
            actual = _get(obj, "source.component")
        actual = "" if actual is None else str(actual)
        if op == "=" and actual != values[0]:
            return False
        if op == "!=" and actual == values[0]:
            return False
    return True
