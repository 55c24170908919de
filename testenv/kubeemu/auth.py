"""Who is asking (bearer tokens, TLS client certificates) and whether they may (a small
RBAC-like rule list), with the API server's exact Forbidden messages."""
from __future__ import annotations

import fnmatch
import os
import threading
from dataclasses import dataclass, field


@dataclass
class User:
    name: str
    groups: list[str] = field(default_factory=list)
    uid: str = ""

    def info(self) -> dict:
        info = {"username": self.name, "groups": self.groups}
        if self.uid:
            info["uid"] = self.uid
        return info


def service_account_groups(user: str) -> list[str]:
    """system:serviceaccount:NS:NAME belongs to system:serviceaccounts and system:serviceaccounts:NS."""
    parts = user.split(":")
    if len(parts) == 4 and parts[:2] == ["system", "serviceaccount"]:
        return ["system:serviceaccounts", f"system:serviceaccounts:{parts[2]}", "system:authenticated"]
    return ["system:authenticated"]


class TokenFile:
    """Bearer tokens accepted by the emulator, one per line, re-read when the file changes (so
    tests can rotate a token mid-run, as the kubelet rotates a projected service account token)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.mtime: int | None = None
        self.size: int | None = None
        self.tokens: set[str] = set()
        self.lock = threading.Lock()

    def current(self) -> set[str]:
        with self.lock:
            try:
                stat = os.stat(self.path)
            except FileNotFoundError:
                return set()
            if (stat.st_mtime_ns, stat.st_size) != (self.mtime, self.size):
                with open(self.path) as handle:
                    self.tokens = {line.strip() for line in handle if line.strip()}
                self.mtime, self.size = stat.st_mtime_ns, stat.st_size
            return set(self.tokens)


class Authenticator:
    def __init__(self, token_file: str, default_user: str) -> None:
        self.file = TokenFile(token_file)
        self.lock = threading.Lock()
        self.file_user = User(default_user, service_account_groups(default_user))
        self.extra: dict[str, User] = {}  # tokens added through the control API

    def set_file_user(self, name: str, groups: list[str] | None) -> None:
        with self.lock:
            self.file_user = User(name, groups if groups is not None else service_account_groups(name))

    def add_token(self, token: str, name: str, groups: list[str] | None, uid: str = "") -> None:
        with self.lock:
            self.extra[token] = User(name, groups if groups is not None else service_account_groups(name), uid)

    def remove_token(self, token: str) -> bool:
        with self.lock:
            return self.extra.pop(token, None) is not None

    def reset(self, default_user: str) -> None:
        with self.lock:
            self.extra.clear()
            self.file_user = User(default_user, service_account_groups(default_user))

    def by_token(self, token: str) -> User | None:
        with self.lock:
            if token in self.extra:
                return self.extra[token]
            file_user = self.file_user
        if token and token in self.file.current():
            return file_user
        return None

    @staticmethod
    def by_certificate(cert: dict | None) -> User | None:
        """A verified client certificate: CN is the user, each O a group (kube-apiserver's x509 rule)."""
        if not cert:
            return None
        name, groups = None, []
        for rdn in cert.get("subject", ()):
            for key, value in rdn:
                if key == "commonName":
                    name = value
                elif key == "organizationName":
                    groups.append(value)
        if not name:
            return None
        return User(name, groups + ["system:authenticated"])


# -- authorization -----------------------------------------------------------------------------

@dataclass
class Attributes:
    user: User
    verb: str
    group: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    path: str = ""
    resource_request: bool = True


def _listed(values, value: str) -> bool:
    if values is None:
        return True
    return any(v == "*" or v == value or fnmatch.fnmatchcase(value, v) for v in values)


class Authorizer:
    """First matching rule wins, else the default ("allow" unless set to "deny").

    A rule: {"effect": "deny"|"allow", "users": [...], "groups": [...] (subject groups),
    "verbs": [...], "apiGroups": [...], "resources": ["deployments", "deployments/scale", "*"],
    "namespaces": [...], "resourceNames": [...], "reason": "..."}; a missing list matches anything.
    Non-resource requests (discovery, /version, /openapi) are always allowed, as for
    system:authenticated in a real cluster."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.default = "allow"
        self.rules: list[dict] = []

    def configure(self, default: str, rules: list[dict]) -> None:
        if default not in ("allow", "deny"):
            raise ValueError('default must be "allow" or "deny"')
        for rule in rules:
            if rule.get("effect", "deny") not in ("allow", "deny"):
                raise ValueError('a rule\'s effect must be "allow" or "deny"')
        with self.lock:
            self.default, self.rules = default, [dict(r) for r in rules]

    def add(self, rule: dict) -> None:
        if rule.get("effect", "deny") not in ("allow", "deny"):
            raise ValueError('a rule\'s effect must be "allow" or "deny"')
        with self.lock:
            self.rules.append(dict(rule))

    def snapshot(self) -> dict:
        with self.lock:
            return {"default": self.default, "rules": [dict(r) for r in self.rules]}

    def decide(self, attrs: Attributes) -> tuple[bool, str]:
        """(allowed, reason)"""
        if not attrs.resource_request:
            return True, ""
        full = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
        with self.lock:
            rules, default = list(self.rules), self.default
        for rule in rules:
            if not _listed(rule.get("users"), attrs.user.name):
                continue
            if "groups" in rule and not any(_listed(rule["groups"], g) for g in attrs.user.groups):
                continue
            if not _listed(rule.get("verbs"), attrs.verb):
                continue
            if not _listed(rule.get("apiGroups"), attrs.group):
                continue
            if not _listed(rule.get("resources"), full):
                continue
            if not _listed(rule.get("namespaces"), attrs.namespace):
                continue
            if "resourceNames" in rule and not _listed(rule["resourceNames"], attrs.name):
                continue
            allowed = rule.get("effect", "deny") == "allow"
            return allowed, rule.get("reason", "")
        return default == "allow", ""


def forbidden_message(attrs: Attributes, reason: str = "") -> str:
    """The message of a 403, word for word as k8s.io/apiserver's responsewriters.Forbidden
    builds it (errors.NewForbidden around forbiddenMessage)."""
    if not attrs.resource_request:
        message = f'forbidden: User "{attrs.user.name}" cannot {attrs.verb} path "{attrs.path}"'
    else:
        resource = attrs.resource + (f"/{attrs.subresource}" if attrs.subresource else "")
        if attrs.namespace:
            detail = (f'User "{attrs.user.name}" cannot {attrs.verb} resource "{resource}" in API group '
                      f'"{attrs.group}" in the namespace "{attrs.namespace}"')
        else:
            detail = (f'User "{attrs.user.name}" cannot {attrs.verb} resource "{resource}" in API group '
                      f'"{attrs.group}" at the cluster scope')
        qualified = f"{attrs.resource}.{attrs.group}" if attrs.group else attrs.resource
        if attrs.name:
            message = f'{qualified} "{attrs.name}" is forbidden: {detail}'
        else:
            message = f"{qualified} is forbidden: {detail}"
    if reason:
        message += f": {reason}"
    return message
