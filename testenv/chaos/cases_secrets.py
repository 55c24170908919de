"""Secrets in every form taster takes them: a kubeconfig with a client key, the original demo's
MONGO_USER/MONGO_PASS, a session token, a notification URL with a token in it, JSON logs and
`check --show-settings`. Every case of the campaign is scanned; these put the rarer secrets in
play."""
from __future__ import annotations

import base64
import http.server
import json
import threading
from pathlib import Path

import tlsgen
from cases_kubernetes import kubeconfig
from kit import Ctx, case


@case("secrets", "a kubeconfig with a client certificate and key", "survive: pre-taste and post-taste pass; the key never shown")
def client_certificate(c: Ctx) -> None:
    c.app()
    folder = c.work / "client"
    folder.mkdir()
    cert, key = tlsgen.make_leaf(folder, "taster", Path(c.stack["TESTENV_CA"]),
                                 Path(c.stack["TESTENV_CA_KEY"]), common_name=c.stack["TESTENV_KUBE_USER"],
                                 client=True, organization="system:serviceaccounts")
    config = kubeconfig(c, user={"client-certificate-data": base64.b64encode(cert.read_bytes()).decode(),
                                 "client-key-data": base64.b64encode(key.read_bytes()).decode()})
    c.app().env["KUBECONFIG"] = config
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste with a client certificate failed: {pre.stderr[-300:]}")
    c.survived(c.run("post-taste"))


@case("secrets", "MONGO_USER and MONGO_PASS with @ : / % ?", "survive: escaped for the URI, never shown")
def demo_spelling(c: Ctx) -> None:
    app = c.app()
    port = c.stack["TESTENV_MONGO_PORT"]
    for name, value in {"MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_PORT": port, "MONGO_USER": "taster",
                        "MONGO_PASS": c.stack["TESTENV_MONGO_PASSWORD"]}.items():
        if value is None:
            app.env.pop(name, None)
        else:
            app.env[name] = value
    c.check(any(ch in c.stack["TESTENV_MONGO_PASSWORD"] for ch in "@:/%?"), "the password has nothing to escape")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed: {pre.stderr[-300:]}")
    c.survived(c.run("post-taste"))


@case("secrets", "a session token the store does not accept", "exit 3 naming the access key; the token never shown")
def session_token(c: Ctx) -> None:
    c.app(seed=False)
    token = "IQoJb3JpZ2luX2VjEChaosSessionToken/" + "Zm9vYmFy" * 12
    run = c.run("pre-taste", env={"AWS_SESSION_TOKEN": token})
    c.failed_closed(run, 3, ("InvalidAccessKeyId", "InvalidToken", "token"))


@case("secrets", "check --show-settings with every secret set", "survive: exit 0, every secret masked")
def show_settings(c: Ctx) -> None:
    app = c.app(seed=False)
    env = {"AWS_SESSION_TOKEN": "IQoJb3JpZ2luX2VjEChaosShowSettings/" + "YmFyYmF6" * 10,
           "TASTER_NOTIFY_URL": "https://hooks.example.com/services/T000/B000/ShowSettingsNotifyToken42",
           "MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_PORT": c.stack["TESTENV_MONGO_PORT"],
           "MONGO_USER": "taster", "MONGO_PASS": c.stack["TESTENV_MONGO_PASSWORD"]}
    run = c.run("check", "--show-settings", env=env)
    c.check(run.stdout.count("****") >= 4, "the password, secret key, session token and notify URL are not all shown masked")
    c.survived(run)


class Receiver:
    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/services/T0/B0/ChaosNotifyToken0123456789"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@case("secrets", "a notification URL with a token, on a failed taste", "exit 1; notified; the URL never shown or stored")
def notify_url(c: Ctx) -> None:
    app = c.app()
    receiver = Receiver()
    c.cleanup(receiver.close)
    app.env["TASTER_NOTIFY_URL"] = receiver.url
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed: {pre.stderr[-300:]}")
    c.admin_db()[app.orders].delete_one({"n": 7})
    post = c.run("post-taste")
    c.check(len(receiver.received) == 1 and receiver.received[0].get("result") == "fail", "no failure notification")
    c.extra_secrets.append(receiver.url.rsplit("/", 1)[-1])
    c.survived(post, code=1)


@case("secrets", "JSON logs of a run that fails on the password", "exit 3; the password in no log line")
def json_logs(c: Ctx) -> None:
    app = c.app()
    uri = app.env["MONGODB_URI"]
    user, rest = uri.split("://", 1)[1].split("@", 1)
    wrong = "mongodb://" + user.split(":")[0] + ":Json%2FLog%40Secret%3A99@" + rest
    run = c.run("pre-taste", env={"MONGODB_URI": wrong, "TASTER_LOG_FORMAT": "json"})
    for line in run.stderr.splitlines():
        if line.startswith("{"):
            try:
                json.loads(line)
            except ValueError:
                c.violate(f"a log line is not JSON: {line[:120]}")
    c.failed_closed(run, 3, "credentials")
