#!/usr/bin/env python3
"""A small fault-injecting HTTP proxy for S3, in front of SeaweedFS, on 127.0.0.1 only. Stdlib.

It forwards every request as it came — method, path, query, every header including the `Host`
the client signed, the body — so SigV4 signatures stay valid, and streams the answer back. Told
to, it answers the next N matching requests itself instead:

    proxy = FaultProxy("http://127.0.0.1:8333").start()     # proxy.url is the endpoint to use
    proxy.fault(method="PUT", path=r"/pre\\.json$", count=2, action="slowdown")   # 503 SlowDown
    proxy.fault(path=r"latest-pre", action="status", status=500)           # 500 InternalError
    proxy.fault(method="PUT", action="drop")          # close the connection without an answer
    proxy.fault(method="PUT", action="delay", seconds=5)   # hold it, then forward it (unless the client left)
    proxy.fault(method="PUT", action="down", seconds=5)    # drop it and refuse connections for 5 s
    proxy.fault(method="PUT", action="lose")          # forward it, then cut the answer: stored, never confirmed
    proxy.fault(path=r"/pre\\.json$", action="large", size=1 << 30)  # a synthetic 1 GiB object
    proxy.down(5)                                        # refuse connections now, for 5 s
    proxy.requests                                       # what came in, what it answered
    proxy.stop()

A fault matches on `method` (or any) and `path`, a regex searched in the request's path and
query; `count` is how many matching requests it takes (None: until cleared). Errors carry S3's
XML error body (`<Error><Code>SlowDown</Code>…`) except on HEAD. "large" answers GET and HEAD
with a body of `size` bytes that starts like a report and never ends like one, streamed, and
counts what was actually sent (`proxy.bytes_sent`): a client that refuses it early reads little.

From a shell: `python testenv/faultproxy.py --upstream URL [--port P]`; then
`curl -X POST http://127.0.0.1:P/_faultproxy/faults -d '{"action": "slowdown", "count": 3}'`,
`DELETE /_faultproxy/faults`, `GET /_faultproxy/requests`, `POST /_faultproxy/down {"seconds": 5}`.
"""
from __future__ import annotations

import argparse
import http.client
import http.server
import itertools
import json
import re
import socket
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field

HOST = "127.0.0.1"
ACTIONS = ("slowdown", "status", "drop", "delay", "down", "large", "lose")
S3_CODES = {500: ("InternalError", "We encountered an internal error. Please try again."),
            503: ("SlowDown", "Please reduce your request rate."),
            502: ("BadGateway", "Bad gateway."),
            504: ("GatewayTimeout", "Gateway timeout.")}
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}


@dataclass
class Fault:
    action: str = "slowdown"
    method: str = "*"
    path: str = ""
    count: int | None = 1
    status: int = 503
    seconds: float = 0.0
    size: int = 0
    hits: int = 0
    id: int = 0
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.action not in ACTIONS:
            raise ValueError(f"unknown action {self.action!r}: one of {', '.join(ACTIONS)}")
        if self.action == "slowdown":
            self.status = 503
        self.pattern = re.compile(self.path)

    def matches(self, method: str, target: str) -> bool:
        return (self.method in ("*", method)) and bool(self.pattern.search(target)) and self.count != 0

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "action", "method", "path", "count", "status", "seconds", "size", "hits")}


class FaultProxy:
    def __init__(self, upstream: str, port: int = 0) -> None:
        parsed = urllib.parse.urlsplit(upstream)
        if parsed.scheme != "http":
            raise ValueError("the upstream must be http://host:port")
        self.upstream = (parsed.hostname, parsed.port or 80)
        self.port = port
        self.faults: list[Fault] = []
        self.requests: list[dict] = []
        self.bytes_sent = 0
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._listener: socket.socket | None = None
        self._connections: set[socket.socket] = set()
        self._down_until = 0.0
        self._stopped = False

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    # -- life --------------------------------------------------------------------------------

    def start(self) -> "FaultProxy":
        self._listen()
        return self

    def stop(self) -> None:
        self._stopped = True
        self._close_everything()

    def __enter__(self) -> "FaultProxy":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _listen(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((HOST, self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True, name="faultproxy-accept").start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return  # closed: stopped or down
            if self.is_down:
                # Accepted in the instant before the listener closed: refused like the rest.
                connection.close()
                continue
            with self._lock:
                self._connections.add(connection)
            threading.Thread(target=self._serve, args=(connection,), daemon=True, name="faultproxy-conn").start()

    def _serve(self, connection: socket.socket) -> None:
        try:
            _Handler(connection, ("client", 0), self)
        except OSError:
            pass
        finally:
            with self._lock:
                self._connections.discard(connection)
            try:
                connection.close()
            except OSError:
                pass

    def _close_everything(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            connections = list(self._connections)
            self._connections.clear()
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @property
    def is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def down(self, seconds: float) -> None:
        """Refuses connections (and cuts open ones) for `seconds`, then listens again on the same port.
        Nothing reaches the store meanwhile: a request already on its way is cut, not forwarded."""
        self._down_until = time.monotonic() + seconds
        self._close_everything()

        def back() -> None:
            time.sleep(max(0.0, self._down_until - time.monotonic()))
            if not self._stopped:
                for _ in range(50):
                    try:
                        self._listen()
                        return
                    except OSError:
                        time.sleep(0.1)
        threading.Thread(target=back, daemon=True, name="faultproxy-back").start()

    # -- faults ------------------------------------------------------------------------------

    def fault(self, **settings) -> Fault:
        fault = Fault(**settings)
        with self._lock:
            fault.id = next(self._ids)
            self.faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self.faults.clear()

    def _take(self, method: str, target: str) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.matches(method, target):
                    fault.hits += 1
                    if fault.count is not None:
                        fault.count -= 1
                    return fault
        return None

    def _record(self, method: str, target: str, answer: str) -> None:
        with self._lock:
            self.requests.append({"time": time.time(), "method": method, "target": target, "answer": answer})

    def answered(self, method: str | None = None, path: str = "") -> list[dict]:
        """The recorded requests matching method and a regex on path and query."""
        with self._lock:
            return [r for r in self.requests if (method is None or r["method"] == method) and re.search(path, r["target"])]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "faultproxy"
    proxy: FaultProxy

    def __init__(self, connection, address, proxy: FaultProxy) -> None:
        self.proxy = proxy
        super().__init__(connection, address, None)

    def log_message(self, *args) -> None:
        pass

    def do_GET(self):
        self._handle()

    do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = do_GET

    # -- one request -----------------------------------------------------------------------

    def _handle(self) -> None:
        body = self._read_body()
        if self.path.startswith("/_faultproxy/"):
            return self._control(body)
        if self.proxy.is_down:
            return self._cut("refused: down")
        fault = self.proxy._take(self.command, self.path)
        if fault is None:
            return self._forward(body)
        if fault.action == "delay":
            time.sleep(fault.seconds)
            if self._client_gone():
                # Like a request stuck on the way: it never reaches the store.
                self.proxy._record(self.command, self.path, f"delayed {fault.seconds}s; the client hung up, not forwarded")
                self.close_connection = True
                return None
            self.proxy._record(self.command, self.path, f"delayed {fault.seconds}s")
            return self._forward(body)
        if fault.action == "down":
            self.proxy.down(fault.seconds)  # first, so no retry slips through before the listener closes
            return self._cut("down")
        if fault.action == "drop":
            return self._cut("drop")
        if fault.action == "lose":
            # The store applies the request; the client never hears so (an answer lost on the way).
            return self._forward(body, answer=False)
        if fault.action == "large":
            return self._large(fault.size)
        return self._error(fault.status)

    def _client_gone(self) -> bool:
        import select
        readable, _, _ = select.select([self.connection], [], [], 0)
        if not readable:
            return False
        try:
            return self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _cut(self, answer: str) -> None:
        """Closes the connection without an answer."""
        self.proxy._record(self.command, self.path, answer)
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _forward(self, body: bytes, answer: bool = True) -> None:
        upstream = http.client.HTTPConnection(*self.proxy.upstream, timeout=120)
        try:
            # Every header as sent, the signed Host included; the body with its length.
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() in HOP_BY_HOP or name.lower() == "content-length":
                    continue
                upstream.putheader(name, value)
            if body or self.command in ("PUT", "POST"):
                upstream.putheader("Content-Length", str(len(body)))
            upstream.endheaders(body if body else None)
            response = upstream.getresponse()
            payload = response.read()
        except OSError as error:
            self.proxy._record(self.command, self.path, f"upstream failed: {error}")
            return self._error(502)
        finally:
            upstream.close()
        if not answer:
            return self._cut(f"lost {response.status}")
        self.proxy._record(self.command, self.path, str(response.status))
        self.send_response(response.status, response.reason)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP and name.lower() != "content-length":
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload) if self.command != "HEAD" else response.getheader("Content-Length") or 0))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _error(self, status: int) -> None:
        code, message = S3_CODES.get(status, ("InternalError", "Injected failure."))
        resource = urllib.parse.urlsplit(self.path).path
        xml = ('<?xml version="1.0" encoding="UTF-8"?>\n'
               f"<Error><Code>{code}</Code><Message>{message}</Message><Resource>{resource}</Resource>"
               f"<RequestId>faultproxy-{time.monotonic_ns()}</RequestId></Error>").encode()
        self.proxy._record(self.command, self.path, f"{status} {code}")
        self.send_response(status)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", "0" if self.command == "HEAD" else str(len(xml)))
        if status == 503:
            self.send_header("Retry-After", "1")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(xml)

    def _large(self, size: int) -> None:
        self.proxy._record(self.command, self.path, f"large {size}")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.send_header("ETag", '"faultproxy-large"')
        self.send_header("Last-Modified", time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime()))
        self.end_headers()
        if self.command == "HEAD":
            return
        head = b'{"schemaVersion": 1, "phase": "pre", "padding": "'
        block = b"a" * (1 << 20)
        sent = 0
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent < size:
                piece = block[: min(len(block), size - sent)]
                self.wfile.write(piece)
                sent += len(piece)
                with self.proxy._lock:
                    self.proxy.bytes_sent += len(piece)
        except OSError:
            pass  # the client hung up: what it refused is what we did not send
        finally:
            with self.proxy._lock:
                self.proxy.bytes_sent += min(len(head), sent)
            self.close_connection = True

    # -- control over HTTP (for shells) ------------------------------------------------------

    def _control(self, body: bytes) -> None:
        path = self.path.split("?")[0]
        answer, status = None, 200
        try:
            if path == "/_faultproxy/faults" and self.command == "POST":
                answer = self.proxy.fault(**json.loads(body or b"{}")).as_dict()
            elif path == "/_faultproxy/faults" and self.command == "DELETE":
                self.proxy.clear()
                answer = {"cleared": True}
            elif path == "/_faultproxy/faults":
                answer = {"items": [f.as_dict() for f in self.proxy.faults]}
            elif path == "/_faultproxy/requests":
                answer = {"items": self.proxy.requests, "bytesSent": self.proxy.bytes_sent}
            elif path == "/_faultproxy/down" and self.command == "POST":
                seconds = float(json.loads(body or b"{}").get("seconds", 5))
                answer = {"down": seconds}
            else:
                status, answer = 404, {"error": f"no {self.command} {path}"}
        except (TypeError, ValueError) as error:
            status, answer = 400, {"error": str(error)}
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if path == "/_faultproxy/down" and status == 200:
            self.wfile.flush()
            self.proxy.down(answer["down"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", required=True, help="the S3 endpoint to forward to, http://host:port")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    args = parser.parse_args()
    proxy = FaultProxy(args.upstream, args.port).start()
    print(proxy.url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        proxy.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
