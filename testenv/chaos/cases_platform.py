"""The platform: a Pushgateway that is down or answers 500 (metrics never change the verdict),
an STS that refuses the web identity token and temporary credentials that expire during the run
(moto with IAM enforced, testenv/motosts.py, and the Pod Identity agent of testenv/podidentity.py),
and a scan that the only signature shown is the presigned link of the run's own verdict page."""
from __future__ import annotations

import http.server
import re
import secrets
import threading
import urllib.parse

import boto3
import botocore
import botocore.config

import stack as stacklib
from chaos import kit
from chaos.kit import Ctx, case
from podidentity import PodIdentityAgent

MOTO_BUCKET = "chaos-reports"


def gateway_answering(c: Ctx, status: int) -> str:
    """A Pushgateway stand-in that answers every PUT with `status`; its URL."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    c.cleanup(lambda: (server.shutdown(), server.server_close()))
    return f"http://127.0.0.1:{server.server_address[1]}"


def moto(c: Ctx) -> dict:
    """moto with IAM enforced and its role, bucket and the one web identity token it accepts."""
    token = "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(30) + ".sig"
    tokens = c.work / "oidc-tokens"
    tokens.write_text(token + "\n")
    port = stacklib.free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = c.work / "moto.log"
    process = stacklib.start_moto(port, log, tokens)
    c.cleanup(lambda: stacklib.stop_pid(process.pid))
    stacklib.wait_until(lambda: stacklib.http_ok(endpoint + "/moto-api/"), 60, "moto", process, log)
    setup = stacklib.moto_setup(endpoint, MOTO_BUCKET)
    return {"endpoint": endpoint, "token": token, **setup}


def keys_in(store: dict, prefix: str) -> list[str]:
    listing = boto3.client("s3", **store["admin"]).list_objects_v2(Bucket=MOTO_BUCKET, Prefix=prefix)
    return [o["Key"] for o in listing.get("Contents", [])]


def survived_elsewhere(c: Ctx, run, code: int = 0) -> None:
    """The run did what it should, with its reports in another store (the kit looks in SeaweedFS)."""
    c.check(run.returncode == code, f"exit {run.returncode}, expected {code}: {run.stderr[-400:]}")
    if not c.violations:
        c.outcome = kit.SURVIVED


@case("metrics", "a Pushgateway that is down", "survive: the verdict and exit code stand; one warning; bounded")
def pushgateway_down(c: Ctx) -> None:
    c.app()
    url = f"http://127.0.0.1:{stacklib.free_port()}"
    c.baseline()
    c.admin_db()[c.app().orders].delete_one({"n": 7})
    run = c.run("post-taste", env={"TASTER_PUSHGATEWAY_URL": url})
    c.check(run.stderr.count("could not push the metrics to the Pushgateway") == 1, "not exactly one warning about the push")
    c.survived(run, code=1)


@case("metrics", "a Pushgateway that answers 500", "survive: the verdict and exit code stand; one warning naming HTTP 500")
def pushgateway_500(c: Ctx) -> None:
    c.app()
    url = gateway_answering(c, 500)
    run = c.run("pre-taste", env={"TASTER_PUSHGATEWAY_URL": url, "TASTER_PUSHGATEWAY_TOKEN": stacklib.random_secret(32)})
    c.check(run.stderr.count("could not push the metrics to the Pushgateway") == 1, "not exactly one warning about the push")
    c.mentions(run, "answered HTTP 500")
    c.survived(run)


@case("credentials", "an STS that refuses the web identity token",
      "exit 3 naming the web identity and InvalidIdentityToken; the token nowhere; nothing scaled")
def sts_refuses(c: Ctx) -> None:
    c.app(seed=False)
    store = moto(c)
    token_file = c.work / "token"
    token_file.write_text("eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(30) + ".sig")
    mark = c.control.mark()
    run = c.run("pre-taste", env={
        "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_ENDPOINT_URL": store["endpoint"],
        "TASTER_BUCKET": MOTO_BUCKET, "AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file), "AWS_ROLE_ARN": store["role_arn"],
        "AWS_ENDPOINT_URL_STS": store["endpoint"]})
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 3, "web identity", "InvalidIdentityToken", "AWS_WEB_IDENTITY_TOKEN_FILE")


@case("credentials", "temporary credentials that expire during the run",
      "survive: fetched again before they expire, every request accepted by S3 with IAM enforced")
def credentials_expire(c: Ctx) -> None:
    app = c.app()
    for kind, workload in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
        c.control.workload(app.name, kind, workload, readyDelaySeconds=1.5)
    store = moto(c)
    sts = boto3.client("sts", endpoint_url=store["endpoint"], region_name="us-east-1",
                       config=botocore.config.Config(signature_version=botocore.UNSIGNED))
    token = secrets.token_urlsafe(32)
    agent = PodIdentityAgent(lambda: sts.assume_role_with_web_identity(
        RoleArn=store["role_arn"], RoleSessionName="chaos", WebIdentityToken=store["token"])["Credentials"], token, lifetime=2)
    c.cleanup(agent.close)
    token_file = c.work / "eks-pod-identity-token"
    token_file.write_text(token)
    run = c.run("pre-taste", env={
        "AWS_ACCESS_KEY_ID": None, "AWS_SECRET_ACCESS_KEY": None, "AWS_ENDPOINT_URL": store["endpoint"],
        "TASTER_BUCKET": MOTO_BUCKET, "AWS_CONTAINER_CREDENTIALS_FULL_URI": agent.url,
        "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": str(token_file)})
    c.note(f"the agent was asked {agent.fetches} times")
    c.check(agent.fetches >= 2, f"fetched {agent.fetches} time(s) in a run longer than the keys live")
    c.check(any(k.endswith("/pre.json") for k in keys_in(store, app.prefix + "/")), "no pre.json in the bucket")
    for issued in agent.issued:
        for secret in (issued["SecretAccessKey"], issued["Token"]):
            c.check(secret[:16] not in run.output, "a temporary key or session token was shown")
    survived_elsewhere(c, run)


@case("secrets", "presigned links: the page's own, nothing else signed shown",
      "survive: the only signature shown is the link to this run's verdict.html, never in a log line")
def presigned_only_the_page(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    c.admin_db()[app.orders].delete_one({"n": 7})
    run = c.run("post-taste", env={"TASTER_LINK_EXPIRY": "10m"})
    links = set(re.findall(r"https?://[^\s\"'<>|]+X-Amz-Signature=[0-9a-f]{64}", run.output))
    c.check(len(links) == 1, f"{len(links)} signed URLs shown, expected the page's one")
    for link in links:
        path = urllib.parse.urlsplit(link).path
        c.check(re.search(rf"/{re.escape(app.prefix)}/runs/[^/]+/verdict\.html$", path) is not None, f"a signed URL of another object: {path}")
        c.check(link not in run.stderr, "a signed URL in a log line")
    signatures = re.findall(r"X-Amz-Signature=([0-9a-f]{64})", run.output)
    c.check(len(set(signatures)) <= 1, "more than one signature shown")
    c.survived(run, code=1)
