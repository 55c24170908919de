"""HTTP handling: authentication, routing of the real API's paths, and Status errors."""
from __future__ import annotations

import json
import os
import ssl
import threading
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import resources as res
from .store import Conflict, NotFound, Store


def status(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


class TokenFile:
    """Bearer tokens accepted by the emulator, one per line, re-read when the file changes (so
    tests can rotate a token mid-run)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.mtime = None
        self.tokens: set[str] = set()
        self.lock = threading.Lock()

    def valid(self, token: str) -> bool:
        with self.lock:
            stat = os.stat(self.path)
            if stat.st_mtime_ns != self.mtime:
                with open(self.path) as handle:
                    self.tokens = {line.strip() for line in handle if line.strip()}
                self.mtime = stat.st_mtime_ns
            return token in self.tokens


class Emulator:
    def __init__(self, token_file: str) -> None:
        self.store = Store()
        self.tokens = TokenFile(token_file)


def parse_selector(text: str) -> list[tuple[str, str, str]]:
    """`a=b,c!=d,e` -> [(key, op, value)]; op is '=', '!=' or 'exists'."""
    terms = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if "!=" in part:
            key, value = part.split("!=", 1)
            terms.append((key.strip(), "!=", value.strip()))
        elif "==" in part:
            key, value = part.split("==", 1)
            terms.append((key.strip(), "=", value.strip()))
        elif "=" in part:
            key, value = part.split("=", 1)
            terms.append((key.strip(), "=", value.strip()))
        else:
            terms.append((part, "exists", ""))
    return terms


def matches_labels(obj: dict, terms: list[tuple[str, str, str]]) -> bool:
    labels = obj.get("metadata", {}).get("labels") or {}
    for key, op, value in terms:
        if op == "=" and labels.get(key) != value:
            return False
        if op == "!=" and labels.get(key) == value:
            return False
        if op == "exists" and key not in labels:
            return False
    return True


def matches_fields(obj: dict, terms: list[tuple[str, str, str]]) -> bool:
    meta = obj.get("metadata", {})
    fields = {"metadata.name": meta.get("name"), "metadata.namespace": meta.get("namespace")}
    for key, op, value in terms:
        actual = fields.get(key)
        if op == "=" and actual != value:
            return False
        if op == "!=" and actual == value:
            return False
    return True


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeemu"
    emulator: Emulator  # set on the subclass by serve()

    def log_message(self, format: str, *args) -> None:  # quiet; tests read what they need
        pass

    # -- responses ---------------------------------------------------------------------------

    def send_json(self, code: int, body: dict, headers: dict | None = None) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_status(self, code: int, reason: str, message: str, details: dict | None = None) -> None:
        self.send_json(code, status(code, reason, message, details))

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    # -- dispatch ----------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def do_PATCH(self) -> None:
        self.dispatch("PATCH")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def authenticated(self) -> bool:
        header = self.headers.get("Authorization", "")
        if header.startswith("Bearer ") and self.emulator.tokens.valid(header[len("Bearer "):].strip()):
            return True
        self.send_status(401, "Unauthorized", "Unauthorized")
        return False

    def dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(url.query, keep_blank_values=True).items()}
        parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        if method != "GET" and self.headers.get("Content-Length"):
            body = self.read_body()
        else:
            body = b""
        if not self.authenticated():
            return
        try:
            self.route(method, parts, query, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def route(self, method: str, parts: list[str], query: dict, body: bytes) -> None:
        if parts == ["version"]:
            return self.send_json(200, {"major": "1", "minor": "37", "gitVersion": "v1.37.0-kubeemu",
                                        "platform": "linux/amd64", "goVersion": "go1.24"})
        if parts == ["api"]:
            return self.send_json(200, res.api_versions())
        if parts == ["apis"]:
            return self.send_json(200, res.api_group_list())
        if parts[:1] == ["api"] and len(parts) >= 2:
            group, version, rest = "", parts[1], parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 2:
            if len(parts) == 2:
                document = res.api_group(parts[1])
                return self.send_json(200, document) if document else self.not_found_path()
            group, version, rest = parts[1], parts[2], parts[3:]
        else:
            return self.not_found_path()
        if not rest:
            document = res.api_resource_list(group, version)
            return self.send_json(200, document) if document else self.not_found_path()

        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        resource = res.find(group, version, rest[0])
        if resource is None:
            return self.not_found_path()
        name = rest[1] if len(rest) >= 2 else None
        subresource = rest[2] if len(rest) >= 3 else None
        if len(rest) > 3 or (resource.namespaced and namespace is None and name is not None):
            return self.not_found_path()
        if subresource and subresource not in resource.subresources:
            return self.not_found_path()
        self.handle_resource(method, resource, namespace or "", name, subresource, query, body)

    def not_found_path(self) -> None:
        self.send_status(404, "NotFound", "the server could not find the requested resource")

    def not_found(self, resource: res.Resource, name: str) -> None:
        self.send_status(404, "NotFound", f'{resource.qualified} "{name}" not found',
                         {"name": name, "group": resource.group, "kind": resource.name})

    # -- resources ---------------------------------------------------------------------------

    def handle_resource(self, method, resource, namespace, name, subresource, query, body) -> None:
        store = self.emulator.store
        if name is None:
            if method == "GET":
                return self.list_objects(resource, namespace if resource.namespaced and namespace else None, query)
            if method == "POST":
                return self.create_object(resource, namespace, body)
            return self.method_not_allowed(method)
        if subresource is None:
            if method == "GET":
                try:
                    return self.send_json(200, store.get(resource, namespace, name))
                except NotFound:
                    return self.not_found(resource, name)
            if method == "DELETE":
                try:
                    store.delete(resource, namespace, name)
                except NotFound:
                    return self.not_found(resource, name)
                return self.send_json(200, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                            "details": {"name": name, "group": resource.group, "kind": resource.name}})
        return self.method_not_allowed(method)

    def method_not_allowed(self, method: str) -> None:
        self.send_status(405, "MethodNotAllowed", f"the server does not allow this method on the requested resource ({method})")

    def list_objects(self, resource, namespace, query) -> None:
        items, revision = self.emulator.store.list(resource, namespace)
        if "labelSelector" in query:
            terms = parse_selector(query["labelSelector"])
            items = [o for o in items if matches_labels(o, terms)]
        if "fieldSelector" in query:
            terms = parse_selector(query["fieldSelector"])
            items = [o for o in items if matches_fields(o, terms)]
        for item in items:  # the real API omits kind and apiVersion on the items of a typed list
            item.pop("kind", None)
            item.pop("apiVersion", None)
        self.send_json(200, {"kind": resource.list_kind, "apiVersion": resource.group_version,
                             "metadata": {"resourceVersion": str(revision)}, "items": items})

    def create_object(self, resource, namespace, body) -> None:
        try:
            obj = json.loads(body or b"{}")
        except ValueError as error:
            return self.send_status(400, "BadRequest", f"the body of the request was in an unknown format: {error}")
        name = obj.get("metadata", {}).get("name")
        if not name:
            return self.send_status(422, "Invalid", f"{resource.kind} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                                    {"kind": resource.kind})
        if obj.get("kind") not in (None, resource.kind):
            return self.send_status(400, "BadRequest", f"the kind {obj.get('kind')} does not match {resource.kind}")
        try:
            created = self.emulator.store.create(resource, namespace, obj)
        except Conflict:
            return self.send_status(409, "AlreadyExists", f'{resource.qualified} "{name}" already exists',
                                    {"name": name, "group": resource.group, "kind": resource.name})
        self.send_json(201, created)


def serve(host: str, port: int, cert: str, key: str, token_file: str) -> ThreadingHTTPServer:
    """Starts the emulator on host:port with TLS; returns the server (serve_forever runs in the caller)."""
    emulator = Emulator(token_file)
    handler = type("BoundHandler", (Handler,), {"emulator": emulator})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    # Handshake in the worker thread, not in accept(): one stuck client must not block the rest.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.emulator = emulator
    return server
