"""HTTP plumbing: TLS, authentication, the request log, fault switches, authorization and
routing of the real API's paths. The verbs live in api.py, watches and log streams in
streams.py, the test control API in admin.py."""
from __future__ import annotations

import io
import json
import select
import socket
import ssl
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from . import resources as res
from .admin import AdminMixin
from .api import ApiMixin
from .auth import Attributes, Authenticator, Authorizer, User, forbidden_message
from .controllers import Controller, Settings
from .faults import Faults
from .logs import Logs
from .requestlog import RequestLog
from .store import Store
from .streams import StreamMixin

DEFAULT_USER = "system:serviceaccount:pxbbq:taster"
NON_RESOURCE = {"api", "apis", "version", "openapi", "healthz", "livez", "readyz"}


def status_body(code: int, reason: str, message: str, details: dict | None = None) -> dict:
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": reason, "details": details, "code": code}
    if details is None:
        del body["details"]
    return body


@dataclass
class RequestInfo:
    """What the API server's RequestInfoFactory makes of a path."""
    resource_request: bool
    verb: str
    path: str
    group: str = ""
    version: str = ""
    resource: str = ""
    subresource: str = ""
    namespace: str = ""
    name: str = ""
    legacy_watch: bool = False
    parts: tuple = ()


def truthy(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "t", "yes")


def request_info(method: str, path_parts: list[str], query: dict) -> RequestInfo:
    path = "/" + "/".join(path_parts)
    if len(path_parts) < 2 or path_parts[0] not in ("api", "apis") or (path_parts[0] == "apis" and len(path_parts) < 3):
        return RequestInfo(False, method.lower(), path, parts=tuple(path_parts))
    if path_parts[0] == "api":
        group, version, rest = "", path_parts[1], path_parts[2:]
    else:
        group, version, rest = path_parts[1], path_parts[2], path_parts[3:]
    if not rest:
        return RequestInfo(False, method.lower(), path, parts=tuple(path_parts))
    legacy_watch = False
    if rest[0] == "watch":
        legacy_watch, rest = True, rest[1:]
    info = RequestInfo(True, "", path, group, version, legacy_watch=legacy_watch, parts=tuple(path_parts))
    if rest and rest[0] == "namespaces" and len(rest) > 1:
        info.namespace = rest[1]
        if len(rest) > 2 and rest[2] not in ("status", "finalize"):
            rest = rest[2:]
    if not rest:
        return info
    info.resource = rest[0]
    info.name = rest[1] if len(rest) > 1 else ""
    info.subresource = rest[2] if len(rest) > 2 else ""
    if len(rest) > 3:
        info.resource = ""  # deeper paths do not exist
    watch = legacy_watch or truthy(query.get("watch"))
    info.verb = {"POST": "create", "PUT": "update", "PATCH": "patch",
                 "DELETE": "delete" if info.name else "deletecollection"}.get(method, "")
    if method in ("GET", "HEAD"):
        info.verb = "watch" if watch else ("get" if info.name else "list")
    return info


class Emulator:
    """Everything the handlers share."""

    def __init__(self, token_file: str, admin_token: str, default_user: str = DEFAULT_USER) -> None:
        self.started = time.time()
        self.store = Store()
        self.logs = Logs()
        self.settings = Settings()
        self.controller = Controller(self.store, self.logs, self.settings)
        self.authn = Authenticator(token_file, default_user)
        self.authz = Authorizer()
        self.faults = Faults()
        self.requests = RequestLog()
        self.admin_token = admin_token
        self.default_user = default_user
        self.stopping = threading.Event()

    def stop(self) -> None:
        self.stopping.set()
        self.controller.stop()
        self.store.stop()
        self.logs.stop()


class Handler(AdminMixin, ApiMixin, StreamMixin, BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubeemu"
    sys_version = ""
    emulator: Emulator  # set on the subclass by serve()
    log_entry: dict | None = None

    def log_message(self, format: str, *args) -> None:  # quiet: the request log is the record
        pass

    # -- responses -----------------------------------------------------------------------------

    def send_response(self, code: int, message: str | None = None) -> None:
        if self.log_entry is not None and self.log_entry.get("status") is None:
            self.log_entry["status"] = code
        super().send_response(code, message)

    def send_json(self, code: int, body, headers: dict | None = None, content_type: str = "application/json") -> None:
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        for warning in getattr(self, "warnings", None) or []:
            self.send_header("Warning", warning)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def send_text(self, code: int, text: str) -> None:
        data = text.encode()
        self.send_response(code)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_status(self, code: int, reason: str, message: str, details: dict | None = None,
                    headers: dict | None = None) -> None:
        self.send_json(code, status_body(code, reason, message, details), headers)

    def not_found_path(self) -> None:
        self.send_status(404, "NotFound", "the server could not find the requested resource")

    def begin_chunked(self, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Cache-Control", "no-cache, private")
        self.send_header("Audit-Id", str(uuid.uuid4()))
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()

    def write_chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def end_chunked(self) -> None:
        self.wfile.write(b"0\r\n\r\n")

    def cut_connection(self) -> None:
        """Closes the connection mid-response, without a terminating chunk or TLS close_notify."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def client_gone(self) -> bool:
        """Whether the peer closed the connection (checked while a stream is idle)."""
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
        except (OSError, ValueError):
            return True
        if not readable:
            return False
        try:
            self.connection.settimeout(0.05)
            return self.connection.recv(1) == b""
        except (ssl.SSLWantReadError, socket.timeout, TimeoutError):
            return False
        except OSError:
            return True
        finally:
            try:
                self.connection.settimeout(None)
            except OSError:
                pass

    # -- dispatch ------------------------------------------------------------------------------

    def do_GET(self) -> None:
        self.dispatch("GET")

    def do_HEAD(self) -> None:
        self.dispatch("HEAD")

    def do_POST(self) -> None:
        self.dispatch("POST")

    def do_PUT(self) -> None:
        self.dispatch("PUT")

    def do_PATCH(self) -> None:
        self.dispatch("PATCH")

    def do_DELETE(self) -> None:
        self.dispatch("DELETE")

    def authenticate(self) -> User | None:
        cert = None
        try:
            cert = self.connection.getpeercert()
        except (AttributeError, ValueError, ssl.SSLError):
            cert = None
        user = self.emulator.authn.by_certificate(cert)
        if user is not None:
            return user
        header = self.headers.get("Authorization", "")
        if header[:7].lower() == "bearer ":
            return self.emulator.authn.by_token(header[7:].strip())
        return None

    def dispatch(self, method: str) -> None:
        self.log_entry = None
        self.warnings = []
        url = urllib.parse.urlsplit(self.path)
        multi = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        query = {k: v[-1] for k, v in multi.items()}
        parts = [urllib.parse.unquote(p) for p in url.path.split("/") if p]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        try:
            if parts[:1] == ["_emulator"]:
                return self.admin(method, parts[1:], query, body)
            self.api_request(method, url, parts, query, body)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True
        finally:
            if self.log_entry is not None:
                self.log_entry["durationMs"] = round((time.time() - self.log_entry["time"]) * 1000, 1)

    def api_request(self, method: str, url, parts: list[str], query: dict, body: bytes) -> None:
        info = request_info(method, parts, query)
        headers = {k: v for k, v in self.headers.items() if k.lower() != "authorization"}
        self.log_entry = self.emulator.requests.add({
            "time": time.time(), "method": method, "path": url.path, "query": query, "rawQuery": url.query,
            "headers": headers, "status": None, "user": None, "verb": info.verb,
            "resource": info.resource, "subresource": info.subresource, "namespace": info.namespace,
            "name": info.name, "watch": info.verb == "watch"})
        user = self.authenticate()
        if user is None:
            return self.send_status(401, "Unauthorized", "Unauthorized")
        self.log_entry["user"] = user.name
        self.user = user
        fault = self.emulator.faults.take(method, url.path, url.query, info.verb == "watch")
        self.fault = None
        if fault is not None:
            if self.apply_fault(fault, info, user):
                return
        attrs = Attributes(user=user, verb=info.verb, group=info.group, resource=info.resource,
                           subresource=info.subresource, namespace=info.namespace, name=info.name,
                           path=url.path, resource_request=info.resource_request)
        allowed, reason = self.emulator.authz.decide(attrs)
        if not allowed:
            return self.forbidden(attrs, reason)
        if self.fault is not None and self.fault["action"] == "lose":
            return self.route_and_lose_answer(method, info, query, body)
        self.route(method, info, query, body)

    def route_and_lose_answer(self, method: str, info: RequestInfo, query: dict, body: bytes) -> None:
        """Applies the request, writes its answer nowhere, and cuts the connection: the client
        never learns that its write was applied."""
        answer, self.wfile = self.wfile, io.BytesIO()
        try:
            self.route(method, info, query, body)
        finally:
            self.wfile = answer
            self.cut_connection()

    def forbidden(self, attrs: Attributes, reason: str = "") -> None:
        details = {"name": attrs.name, "group": attrs.group, "kind": attrs.resource} if attrs.resource_request else None
        if details and not details["name"]:
            del details["name"]
        self.send_status(403, "Forbidden", forbidden_message(attrs, reason), details)

    def apply_fault(self, fault: dict, info: RequestInfo, user: User) -> bool:
        """Answers the request as the fault says; False when the request goes on (delay, watch faults)."""
        action = fault["action"]
        if action == "delay":
            time.sleep(float(fault.get("seconds", 1)))
            return False
        if action == "close":
            self.cut_connection()
            return True
        if action in ("drop-watch", "expire-watch", "lose"):
            self.fault = fault
            return False
        code = fault["code"]
        qualified = f"{info.resource}.{info.group}" if info.group else info.resource
        details = {"name": info.name, "group": info.group, "kind": info.resource}
        headers = {}
        message = fault.get("message")
        if code == 403:
            attrs = Attributes(user=user, verb=info.verb, group=info.group, resource=info.resource,
                               subresource=info.subresource, namespace=info.namespace, name=info.name,
                               path=info.path, resource_request=info.resource_request)
            if message:
                return self.send_status(403, "Forbidden", message, details) or True
            self.forbidden(attrs, fault.get("reason", ""))
            return True
        if code == 409:
            reason = "Conflict"
            message = message or (f'Operation cannot be fulfilled on {qualified} "{info.name}": the object has been '
                                  f'modified; please apply your changes to the latest version and try again')
        elif code == 429:
            reason = "TooManyRequests"
            message = message or "Too many requests, please try again later."
            retry = int(fault.get("retryAfter", 1))
            details = {"retryAfterSeconds": retry}
            headers["Retry-After"] = str(retry)
        elif code == 500:
            reason = "InternalError"
            message = message or "Internal error occurred: injected by the emulator's fault switch"
            details = {"causes": [{"message": "injected by the emulator's fault switch"}]}
        elif code == 503:
            reason = "ServiceUnavailable"
            message = message or "the server is currently unable to handle the request"
            if "retryAfter" in fault:
                headers["Retry-After"] = str(int(fault["retryAfter"]))
                details = {"retryAfterSeconds": int(fault["retryAfter"])}
            else:
                details = None
        elif code == 410:
            reason = "Expired"
            message = message or f"too old resource version: {info.name or 1} ({self.emulator.store.revision})"
            details = None
        elif code == 404:
            reason = "NotFound"
            message = message or f'{qualified} "{info.name}" not found'
        elif code == 401:
            reason = "Unauthorized"
            message = message or "Unauthorized"
            details = None
        elif code == 504:
            reason = "Timeout"
            message = message or "Timeout: request did not complete within the allotted timeout"
            details = None
        else:
            reason = fault.get("reason", "InternalError" if code >= 500 else "BadRequest")
            message = message or f"injected {code}"
        if details is not None and "name" in details and not details["name"]:
            del details["name"]
        self.send_status(code, reason, message, details, headers)
        return True

    # -- routing -------------------------------------------------------------------------------

    def route(self, method: str, info: RequestInfo, query: dict, body: bytes) -> None:
        parts = list(info.parts)
        if not info.resource_request:
            return self.non_resource(method, parts)
        resource = res.find(info.group, info.version, info.resource) if info.resource else None
        if resource is None:
            return self.not_found_path()
        if info.subresource and info.subresource not in resource.subresources:
            return self.not_found_path()
        if resource.namespaced and info.name and not info.namespace and resource.name != "namespaces":
            return self.not_found_path()
        if resource.name == "namespaces":
            info.namespace = ""
        self.handle_resource(method, resource, info, query, body)

    def non_resource(self, method: str, parts: list[str]) -> None:
        if method not in ("GET", "HEAD"):
            return self.send_status(405, "MethodNotAllowed",
                                    f"the server does not allow this method on the requested resource")
        accept = self.headers.get("Accept", "")
        if parts == ["version"]:
            return self.send_json(200, {"major": "1", "minor": "37", "emulationMajor": "1", "emulationMinor": "37",
                                        "minCompatibilityMajor": "1", "minCompatibilityMinor": "36",
                                        "gitVersion": "v1.37.0-kubeemu", "gitCommit": "0" * 40,
                                        "gitTreeState": "clean", "buildDate": "2026-01-01T00:00:00Z",
                                        "goVersion": "go1.25", "compiler": "gc", "platform": "linux/amd64"})
        if parts in (["healthz"], ["livez"], ["readyz"]):
            return self.send_text(200, "ok")
        if parts in (["api"], ["apis"]):
            version = aggregated_version(accept)
            if version:
                media = res.AGGREGATED_V2 if version == "v2" else res.AGGREGATED_V2BETA1
                return self.send_json(200, res.aggregated(parts == ["api"], version), content_type=media)
            return self.send_json(200, res.api_versions() if parts == ["api"] else res.api_group_list())
        if parts[:1] == ["api"] and len(parts) == 2:
            document = res.api_resource_list("", parts[1])
            return self.send_json(200, document) if document else self.not_found_path()
        if parts[:1] == ["apis"] and len(parts) == 2:
            document = res.api_group(parts[1])
            return self.send_json(200, document) if document else self.not_found_path()
        if parts[:1] == ["apis"] and len(parts) == 3:
            document = res.api_resource_list(parts[1], parts[2])
            return self.send_json(200, document) if document else self.not_found_path()
        if parts[:1] == ["openapi"]:
            from . import openapi
            document = openapi.document(parts[1:])
            return self.send_json(200, document) if document is not None else self.not_found_path()
        return self.not_found_path()


def aggregated_version(accept: str) -> str | None:
    """The aggregated discovery version the Accept header prefers, if it asks for one first."""
    for part in (accept or "").split(","):
        params = {p.split("=", 1)[0].strip(): p.split("=", 1)[1].strip() for p in part.split(";")[1:] if "=" in p}
        if params.get("as") == "APIGroupDiscoveryList" and params.get("g") == "apidiscovery.k8s.io":
            if params.get("v") in ("v2", "v2beta1"):
                return params["v"]
        elif part.split(";")[0].strip():
            return None
    return None


class Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128

    def handle_error(self, request, client_address) -> None:  # a client hanging up is not an error worth printing
        import sys
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLError, TimeoutError, OSError)):
            return
        super().handle_error(request, client_address)


def serve(host: str, port: int, cert: str, key: str, token_file: str, admin_token: str,
          client_ca: str | None = None, default_user: str = DEFAULT_USER) -> Server:
    """Starts the emulator on host:port with TLS; returns the server (serve_forever runs in the caller)."""
    emulator = Emulator(token_file, admin_token, default_user)
    handler = type("BoundHandler", (Handler,), {"emulator": emulator})
    server = Server((host, port), handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    if client_ca:
        # Client certificates are optional: token clients connect without one; a certificate
        # that the CA did not sign fails the handshake, as with kube-apiserver.
        context.load_verify_locations(client_ca)
        context.verify_mode = ssl.CERT_OPTIONAL
    # Handshake in the worker thread, not in accept(): one stuck client must not block the rest.
    server.socket = context.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
    server.emulator = emulator
    emulator.controller.start()
    return server
