"""A small client of the emulator's control API (/_emulator/...), for pytest and for the
demo and benchmark scripts. Stdlib only.

    from kubeemu.control import Control
    emu = Control.from_env()             # TESTENV_KUBE_URL, TESTENV_KUBE_ADMIN_TOKEN, TESTENV_CA
    emu.workload("ns", "deployment", "web", readyDelaySeconds=None)
    emu.ready("ns", "deployment", "web")["readyAt"]

Also a command line: python -m kubeemu.control METHOD PATH [JSON], e.g.
    python -m kubeemu.control POST /_emulator/seed/demo '{"namespace": "pxbbq"}'
"""
from __future__ import annotations

import json
import os
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


class ControlError(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code


class Control:
    def __init__(self, url: str, admin_token: str, ca: str, kube_token: str | None = None) -> None:
        self.url = url.rstrip("/")
        self.admin_token = admin_token
        self.kube_token = kube_token
        self.context = ssl.create_default_context(cafile=ca)

    @classmethod
    def from_env(cls, env=None) -> "Control":
        env = os.environ if env is None else env
        return cls(env["TESTENV_KUBE_URL"], env["TESTENV_KUBE_ADMIN_TOKEN"], env["TESTENV_CA"],
                   env.get("TESTENV_KUBE_TOKEN"))

    # -- raw -----------------------------------------------------------------------------------

    def call(self, method: str, path: str, body=None, query: dict | None = None):
        url = self.url + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={
            "Authorization": f"Bearer {self.admin_token}", "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            try:
                text = json.loads(text).get("error", text)
            except ValueError:
                pass
            raise ControlError(error.code, text) from None

    def kube(self, method: str, path: str, body=None, content_type: str = "application/json",
             token: str | None = None, headers: dict | None = None):
        """A Kubernetes API request with the stack's token: (status, parsed body or text, headers)."""
        data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
        request = urllib.request.Request(self.url + path, data=data, method=method, headers={
            "Authorization": f"Bearer {token or self.kube_token}", "Content-Type": content_type, **(headers or {})})
        try:
            with urllib.request.urlopen(request, context=self.context, timeout=30) as response:
                raw, code, answer_headers = response.read(), response.status, dict(response.headers)
        except urllib.error.HTTPError as error:
            raw, code, answer_headers = error.read(), error.code, dict(error.headers)
        try:
            return code, json.loads(raw), answer_headers
        except ValueError:
            return code, raw.decode(errors="replace"), answer_headers

    # -- the control API -----------------------------------------------------------------------

    def health(self) -> dict:
        return self.call("GET", "/_emulator/health")

    def settings(self, **changes) -> dict:
        return self.call("PUT", "/_emulator/settings", changes) if changes else self.call("GET", "/_emulator/settings")

    def reset(self, namespace: str | None = None, everything: bool = False) -> dict:
        return self.call("POST", "/_emulator/reset", {"all": True} if everything else {"namespace": namespace})

    def put_objects(self, *objects: dict) -> list[dict]:
        return self.call("POST", "/_emulator/objects", {"items": list(objects)})["items"]

    def workload(self, namespace: str, kind: str, name: str, **settings) -> dict:
        """readyDelaySeconds=SECONDS|None (None: ready only when told), unready={"reason": ...}|None."""
        return self.call("PUT", f"/_emulator/workloads/{namespace}/{kind}/{name}", settings)

    def clear_workload(self, namespace: str, kind: str, name: str) -> dict:
        return self.call("DELETE", f"/_emulator/workloads/{namespace}/{kind}/{name}")

    def ready(self, namespace: str, kind: str, name: str) -> dict:
        """Marks the workload ready now; returns {"readyAt": unix time, "resourceVersion", "status"}."""
        return self.call("POST", f"/_emulator/workloads/{namespace}/{kind}/{name}/ready")

    def job(self, namespace: str, name: str, **behaviour) -> dict:
        """outcome="succeed"|"fail", logs=[...]|{container: [...]}, lineIntervalSeconds, runSeconds,
        exitCode, failedAttempts, startDelaySeconds."""
        return self.call("PUT", f"/_emulator/jobs/{namespace}/{name}", behaviour)

    def append_logs(self, namespace: str, pod: str, lines: list[str], container: str | None = None,
                    finish: bool = False) -> dict:
        return self.call("POST", f"/_emulator/pods/{namespace}/{pod}/logs",
                         {"container": container, "lines": lines, "finish": finish})

    def fault(self, **fault) -> dict:
        """method, path | pathRegex, watch, count, action, code, retryAfter, message, afterEvents, seconds."""
        return self.call("POST", "/_emulator/faults", fault)

    def faults(self) -> list[dict]:
        return self.call("GET", "/_emulator/faults")["items"]

    def clear_faults(self) -> None:
        self.call("DELETE", "/_emulator/faults")

    def add_token(self, token: str, user: str, groups: list[str] | None = None) -> dict:
        return self.call("POST", "/_emulator/tokens", {"token": token, "user": user, "groups": groups})

    def remove_token(self, token: str) -> dict:
        return self.call("DELETE", f"/_emulator/tokens/{urllib.parse.quote(token, safe='')}")

    def file_token_user(self, user: str, groups: list[str] | None = None) -> dict:
        return self.call("PUT", "/_emulator/file-token-user", {"user": user, "groups": groups})

    def authz(self, default: str = "allow", rules: list[dict] | None = None) -> dict:
        return self.call("PUT", "/_emulator/authz", {"default": default, "rules": rules or []})

    def deny(self, **rule) -> dict:
        """verbs, apiGroups, resources ("deployments/scale"), namespaces, resourceNames, users, reason."""
        return self.call("POST", "/_emulator/authz/rules", {"effect": "deny", **rule})

    def clear_authz(self) -> dict:
        return self.call("DELETE", "/_emulator/authz")

    def requests(self, since: int = 0, **filters) -> list[dict]:
        """method, path (prefix), verb, resource, subresource, namespace, name, user, watch."""
        return self.call("GET", "/_emulator/requests", query={"since": since, **filters})["items"]

    def mark(self) -> int:
        """The request log's current position, for requests(since=mark)."""
        return self.call("GET", "/_emulator/requests", query={"since": 1 << 62})["last"]

    def compact(self) -> int:
        return self.call("POST", "/_emulator/compact")["compactedRevision"]

    def seed_demo(self, namespace: str = "pxbbq") -> list[dict]:
        return self.call("POST", "/_emulator/seed/demo", {"namespace": namespace})["items"]


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    body = json.loads(argv[2]) if len(argv) > 2 else None
    try:
        print(json.dumps(Control.from_env().call(argv[0].upper(), argv[1], body), indent=2))
    except ControlError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
