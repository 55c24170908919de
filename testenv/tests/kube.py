"""Helpers for tests against the Kubernetes API emulator: manifests, kubectl, raw HTTPS."""
from __future__ import annotations

import http.client
import json
import os
import ssl
import subprocess
import time
import urllib.parse
from pathlib import Path


def deployment(name: str, ns: str, replicas: int = 0, image: str = "nginx:1.27", labels: dict | None = None) -> dict:
    labels = labels or {"app": name}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name, "namespace": ns, "labels": labels},
            "spec": {"replicas": replicas, "selector": {"matchLabels": labels},
                     "template": {"metadata": {"labels": labels},
                                  "spec": {"containers": [{"name": name, "image": image}]}}}}


def statefulset(name: str, ns: str, replicas: int = 0, image: str = "mongo:7.0", parallel: bool = False) -> dict:
    labels = {"app": name}
    spec = {"replicas": replicas, "serviceName": name, "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": {"containers": [{"name": name, "image": image}]}}}
    if parallel:
        spec["podManagementPolicy"] = "Parallel"
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": {"name": name, "namespace": ns}, "spec": spec}


def job(name: str, ns: str, annotations: dict | None = None, containers: list[str] | None = None,
        backoff_limit: int = 0) -> dict:
    meta = {"name": name, "namespace": ns}
    if annotations:
        meta["annotations"] = annotations
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta,
            "spec": {"backoffLimit": backoff_limit, "template": {"spec": {
                "restartPolicy": "Never",
                "containers": [{"name": c, "image": "busybox:1.36"} for c in (containers or ["test"])]}}}}


def kubectl(stack, *args, input: str | None = None, env: dict | None = None, timeout: float = 60):
    environment = dict(os.environ)
    environment.update(env or {})
    return subprocess.run([str(Path(stack["TESTENV_BIN"]) / "kubectl"), *args], input=input, capture_output=True,
                          text=True, timeout=timeout, env=environment)


def apply(stack, obj: dict, *extra):
    result = kubectl(stack, "create", "-f", "-", *extra, input=json.dumps(obj))
    assert result.returncode == 0, result.stderr
    return result


class Api:
    """Raw HTTPS requests to the emulator with a bearer token (or a client certificate)."""

    def __init__(self, stack, token: str | None = None, cert: tuple[str, str] | None = None) -> None:
        url = urllib.parse.urlsplit(stack["TESTENV_KUBE_URL"])
        self.host, self.port = url.hostname, url.port
        self.token = stack["TESTENV_KUBE_TOKEN"] if token is None else token
        self.context = ssl.create_default_context(cafile=stack["TESTENV_CA"])
        if cert:
            self.context.load_cert_chain(*cert)

    def connect(self, timeout: float = 30) -> http.client.HTTPSConnection:
        return http.client.HTTPSConnection(self.host, self.port, context=self.context, timeout=timeout)

    def headers(self, extra: dict | None = None) -> dict:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        headers.update(extra or {})
        return headers

    def request(self, method: str, path: str, body=None, content_type: str = "application/json",
                headers: dict | None = None):
        """(status, parsed JSON or text, response headers)"""
        connection = self.connect()
        try:
            data = json.dumps(body).encode() if body is not None and not isinstance(body, bytes) else body
            connection.request(method, path, body=data,
                               headers=self.headers({"Content-Type": content_type, **(headers or {})}))
            response = connection.getresponse()
            raw = response.read()
            try:
                parsed = json.loads(raw)
            except ValueError:
                parsed = raw.decode(errors="replace")
            return response.status, parsed, response.headers
        finally:
            connection.close()

    def get(self, path: str, **kw):
        return self.request("GET", path, **kw)

    def watch(self, path: str, timeout: float = 10, headers: dict | None = None) -> "WatchStream":
        connection = self.connect(timeout)
        connection.request("GET", path, headers=self.headers(headers))
        return WatchStream(connection, connection.getresponse())


class WatchStream:
    def __init__(self, connection, response) -> None:
        self.connection, self.response = connection, response
        self.status = response.status

    def next(self) -> dict | None:
        """The next event, or None when the stream ended cleanly."""
        line = self.response.readline()
        if not line:
            return None
        return json.loads(line)

    def events(self, count: int) -> list[dict]:
        return [self.next() for _ in range(count)]

    def until(self, predicate, timeout: float = 10) -> list[dict]:
        """Events up to and including the first one the predicate accepts."""
        seen = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = self.next()
            if event is None:
                raise AssertionError(f"stream ended before the expected event; saw {seen}")
            seen.append(event)
            if predicate(event):
                return seen
        raise AssertionError(f"no expected event within {timeout}s; saw {seen}")

    def close(self) -> None:
        self.connection.close()


def wait_for(check, timeout: float = 10, interval: float = 0.05, what: str = "condition"):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"{what} not met within {timeout}s (last: {last!r})")
