"""A local HTTP receiver on 127.0.0.1 that records what taster sends it (notifications, metric
pushes), for what a real service cannot show: the headers sent, and answers of the test's
choosing (a 500, or 503 to the first few requests before a 200).

Every request is recorded in `received`, in order, as a dict: `method`, `path`, `type` (its
Content-Type), `authorization`, `text` (the body as text), `body` (the body parsed as JSON, or
None when it is not JSON) and `status` (what the recorder answered). `accepted` holds the ones
answered with a 2xx."""
from __future__ import annotations

import http.server
import json
import threading


class Recorder:
    def __init__(self, path: str = "", status: int = 200, failures: int = 0, failure_status: int = 503) -> None:
        """Answers `failure_status` to the first `failures` requests, then `status`; `url` is the
        origin followed by `path`."""
        self.received: list[dict] = []
        self.failures = failures
        outer = self
        lock = threading.Lock()

        class Handler(http.server.BaseHTTPRequestHandler):
            def _record(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                text = self.rfile.read(length).decode(errors="replace")
                try:
                    body = json.loads(text)
                except ValueError:
                    body = None
                with lock:
                    answer = failure_status if outer.failures > 0 else status
                    outer.failures -= 1
                    outer.received.append({"method": self.command, "path": self.path, "type": self.headers.get("Content-Type"),
                                           "authorization": self.headers.get("Authorization"), "text": text, "body": body,
                                           "status": answer})
                self.send_response(answer)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_POST = do_PUT = _record

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.url = self.origin + path
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def accepted(self) -> list[dict]:
        return [r for r in self.received if 200 <= r["status"] < 300]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "Recorder":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
