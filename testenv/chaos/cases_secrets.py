"""Secrets in every form taster takes them: a kubeconfig with a client key, the original demo's
MONGO_USER/MONGO_PASS, a session token, a notification URL with a token in it, JSON logs and
`check --show-settings`; and the classes a security review found leaking through the masks
themselves: pieces of a password that libmongoc cut out (an unescaped `@`), URI options that
carry a key password, webhook URLs of every shape, exec credential plugins that repeat their
arguments, endpoints echoed in settings errors, and passwords that are ordinary words. Every case
of the campaign is scanned (whole, in any form and in pieces); these put the rarer secrets in
play."""
from __future__ import annotations

import base64
import json
import uuid
from pathlib import Path

import tlsgen
from recorder import Recorder
from chaos.cases_kubernetes import kubeconfig
from chaos.kit import Ctx, case


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
           "TASTER_NOTIFY_URL": "https://hooks.example.com/services/T000/B000/Xj4kq9Zr2Lm8Wt6Qp1Vb",
           "MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_PORT": c.stack["TESTENV_MONGO_PORT"],
           "MONGO_USER": "taster", "MONGO_PASS": c.stack["TESTENV_MONGO_PASSWORD"]}
    run = c.run("check", "--show-settings", env=env)
    c.check(run.stdout.count("****") >= 4, "the password, secret key, session token and notify URL are not all shown masked")
    c.survived(run)


@case("secrets", "a notification URL with a token, on a failed taste", "exit 1; notified; the URL never shown or stored")
def notify_url(c: Ctx) -> None:
    app = c.app()
    receiver = Recorder("/services/T0/B0/Xc9Qh2Lw7Zk3Vn8Rt4Mp")
    c.cleanup(receiver.close)
    app.env["TASTER_NOTIFY_URL"] = receiver.url
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed: {pre.stderr[-300:]}")
    c.admin_db()[app.orders].delete_one({"n": 7})
    post = c.run("post-taste")
    c.check(len(receiver.accepted) == 1 and receiver.accepted[0]["body"].get("result") == "fail", "no failure notification")
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


# -- the classes the security review found (issue 13, items 1 and 6) --------------------------

@case("secrets", "MONGODB_URI with an unescaped @ in the password",
      "exit 2 at once naming MONGODB_URI and %40; no piece of the password shown; nothing touched")
def unescaped_at(c: Ctx) -> None:
    c.app(seed=False)
    mark = c.control.mark()
    password = "Summer@2024-" + uuid.uuid4().hex[:8]
    run = c.run("pre-taste", env={"MONGODB_URI": f"mongodb://taster:{password}@127.0.0.1:{c.stack['TESTENV_MONGO_PORT']}/?authSource=admin"})
    c.check(run.seconds < 10, f"refused after {run.seconds:.1f}s: it waited for MongoDB")
    c.no_kubernetes_call(mark)
    c.no_upload()
    c.extra_secrets += password.split("@")
    c.failed_closed(run, 2, "MONGODB_URI", "%40")


@case("secrets", "sslClientCertificateKeyPassword (libmongoc's older name) on a TLS MongoDB",
      "survive: reports store the URI with the option masked; show-settings masks it")
def old_key_password_option(c: Ctx) -> None:
    app = c.app(seed=False)
    ca, ca_key = tlsgen.make_ca(c.work / "mongo-ca", name="the server's CA")
    cert, key = tlsgen.make_server(c.work / "mongo-ca", "mongo", ca, ca_key)
    mongo = c.mongo(tls=(cert, key), tls_ca=ca)
    mongo.provision(app)
    mongo.start()
    secret = "OldKeyPw-" + uuid.uuid4().hex[:12]
    app.env["MONGODB_URI"] = mongo.uri() + f"&tls=true&tlsCAFile={ca}&sslClientCertificateKeyPassword={secret}"
    shown = c.run("check", "--show-settings")
    c.check("sslClientCertificateKeyPassword=****" in shown.stdout, "show-settings does not show the option masked")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed: {pre.stderr[-300:]}")
    stored = [json.loads(body) for key, body in app.objects().items() if key.endswith("/pre.json")]
    c.check(bool(stored) and stored[0]["settings"]["mongodb"].endswith("sslClientCertificateKeyPassword=****"),
            "pre.json does not hold the URI with the option masked")
    c.survived(c.run("post-taste"))


WEBHOOKS = {
    # shape: (path and query of the URL, the parts that are the token)
    "Slack": ("/services/T0{a}/B0{b}/{t}", ["{t}"]),
    "Google Chat": ("/v1/spaces/AAAA{a}/messages?key=AIzaSy{b}&token={t}%3D", ["AIzaSy{b}", "{t}%3D", "{t}="]),
    "Microsoft Teams": ("/webhookb2/{a}-guid@{b}-guid/IncomingWebhook/{t}/{a}", ["{t}"]),
    "Discord": ("/api/webhooks/1234{a}/{t}", ["{t}"]),
    "user info": ("/hook", ["{t}"]),
}


def _webhook_case(shape: str):
    @case("secrets", f"a {shape} webhook URL, answering 503 twice", "exit 1; notified on the third try; no piece of the token shown")
    def webhook(c: Ctx) -> None:
        app = c.app()
        parts = {"a": uuid.uuid4().hex[:6], "b": uuid.uuid4().hex[:10], "t": "Tk" + uuid.uuid4().hex[:22]}
        path, tokens = WEBHOOKS[shape]
        receiver = Recorder(path.format(**parts), failures=2)
        c.cleanup(receiver.close)
        url = receiver.url if shape != "user info" else receiver.url.replace("http://", f"http://hook:{parts['t']}@")
        app.env["TASTER_NOTIFY_URL"] = url
        c.baseline()
        c.admin_db()[app.orders].delete_one({"n": 7})
        post = c.run("post-taste")
        c.check(len(receiver.accepted) == 1 and receiver.accepted[0]["body"].get("result") == "fail", "no failure notification")
        c.check("trying again" in post.stderr, "no retry warning: the 503s were not retried")
        c.extra_secrets += [token.format(**parts) for token in tokens]
        c.survived(post, code=1)
    return webhook


for _shape in WEBHOOKS:
    _webhook_case(_shape)


@case("secrets", "an exec credential plugin that fails repeating its arguments, environment and the S3 key",
      "exit 3 naming the plugin; none of them shown, on stdout (check) or stderr")
def exec_plugin(c: Ctx) -> None:
    app = c.app(seed=False)
    plugin = c.work / "login-plugin.sh"
    plugin.write_text('#!/bin/sh\necho "login refused for $* (token $PLUGIN_TOKEN, key $AWS_SECRET_ACCESS_KEY)" >&2\nexit 1\n')
    plugin.chmod(0o755)
    app.env["KUBECONFIG"] = kubeconfig(c, user={"exec": {
        "apiVersion": "client.authentication.k8s.io/v1", "command": str(plugin), "interactiveMode": "Never",
        "args": ["get-token", "--token", "ExecArg-" + uuid.uuid4().hex[:12], "--cluster-id=Cl" + uuid.uuid4().hex[:10]],
        "env": [{"name": "PLUGIN_TOKEN", "value": "ExecEnv-" + uuid.uuid4().hex[:12]}]}})
    check = c.run("check")
    c.check(check.returncode == 3 and "withheld" in check.stdout, "check did not fail with the plugin's line withheld on stdout")
    c.failed_closed(c.run("pre-taste"), 3, "exec credential plugin")


@case("secrets", "an S3 endpoint with a token in its query, without a scheme", "exit 2 naming the variable; the token not echoed")
def endpoint_with_token(c: Ctx) -> None:
    c.app(seed=False)
    token = "EndpTok-" + uuid.uuid4().hex[:16]
    run = c.run("pre-taste", env={"AWS_ENDPOINT_URL": f"127.0.0.1:9/?X-Amz-Security-Token={token}"})
    c.extra_secrets.append(token)
    c.failed_closed(run, 2, "AWS_ENDPOINT_URL")


@case("secrets", "a password that is an ordinary word, also a collection's name",
      "survive: lines holding the word withheld, never masked in place; reports keep their data")
def ordinary_word(c: Ctx) -> None:
    app = c.app(seed=False)
    mongo = c.mongo()
    mongo.password = "registrations"
    mongo.provision(app)
    mongo.start()
    for name, value in {"MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_PORT": str(mongo.port),
                        "MONGO_USER": "taster", "MONGO_PASS": "registrations"}.items():
        if value is None:
            app.env.pop(name, None)
        else:
            app.env[name] = value
    c.data_words.add("registrations")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed: {pre.stderr[-300:]}")
    post = c.run("post-taste")
    for run in (pre, post):
        c.check("****" not in run.stdout + run.stderr + run.termination_log,
                f"{run.args[0]} masked the word in place, which points at it")
    c.check("withheld" in pre.stdout, "the snapshot table's line with the word is not withheld")
    c.survived(post)
