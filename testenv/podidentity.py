"""A container credentials endpoint as the EKS Pod Identity agent serves it, for tests: a GET
with the pod's authorization token in `Authorization` answers temporary credentials as JSON
(`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`). There is no Debian or PyPI server for
the agent; the credentials it hands out are real ones, from moto's STS (the agent exchanges the
pod's identity for the role's keys: `issue` does it), so the S3 requests signed with them are
checked by moto as AWS would.

`lifetime` shortens the `Expiration` it states (the agent's credentials normally last hours), so a
test sees taster fetch again before they expire. Every fetch is counted and every credential
handed out is remembered, for the secret scan.
"""
from __future__ import annotations

import datetime
import http.server
import json
import threading


class PodIdentityAgent:
    def __init__(self, issue, token: str, lifetime: float = 3600.0):
        """`issue()`: the role's temporary credentials (an STS answer's `Credentials`)."""
        self.issue, self.token, self.lifetime = issue, token, lifetime
        self.fetches = 0
        self.refused = 0
        self.issued: list[dict] = []
        agent = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if self.headers.get("Authorization") != agent.token:
                    agent.refused += 1
                    self.answer(401, {"Message": "Authorization token is invalid"})
                    return
                agent.fetches += 1
                credentials = agent.issue()
                expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=agent.lifetime)
                answer = {"AccessKeyId": credentials["AccessKeyId"], "SecretAccessKey": credentials["SecretAccessKey"],
                          "Token": credentials["SessionToken"], "AccountId": "123456789012",
                          "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ")}
                agent.issued.append(answer)
                self.answer(200, answer)

            def answer(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1/credentials"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
