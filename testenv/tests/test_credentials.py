"""AWS credentials the way pods get them (docs/metrics.md, "Credentials without static keys"),
against moto's S3 and STS with IAM enforced (testenv/motosts.py): a run with only a web identity
token stores its reports, signed with the temporary keys STS gave; the EKS Pod Identity agent's
endpoint (testenv/podidentity.py, handing out moto-issued keys) too, fetched again before they
expire; a refused token or agent token is exit 3 naming the source.

The presigned link is fetched from SeaweedFS (test_links.py), not from moto: moto 5.2.5 with IAM
enforced cannot check a query-signed request (it looks for an Authorization header and answers
500), and without IAM enforced it accepts any signature, which proves nothing."""
from __future__ import annotations

import re
import secrets

import boto3
import botocore
import botocore.config
import pytest

import harness
import stack as teststack
from podidentity import PodIdentityAgent

BUCKET = "moto-reports"


class Moto:
    def __init__(self, tmp):
        self.tokens = tmp / "oidc-tokens"
        self.token = "eyJhbGciOiJSUzI1NiJ9." + secrets.token_urlsafe(40) + ".sig"
        self.tokens.write_text(self.token + "\n")
        self.port = teststack.free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.log = tmp / "moto.log"
        self.process = teststack.start_moto(self.port, self.log, self.tokens)
        teststack.wait_until(lambda: teststack.http_ok(self.endpoint + "/moto-api/"), 60, "moto", self.process, self.log)
        setup = teststack.moto_setup(self.endpoint, BUCKET)
        self.admin, self.role_arn = setup["admin"], setup["role_arn"]
        self.access_key, self.secret_key = setup["access_key"], setup["secret_key"]
        self.s3 = boto3.client("s3", **self.admin)

    def keys(self, prefix: str) -> list[str]:
        listing = self.s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)
        return sorted(o["Key"] for o in listing.get("Contents", []))

    def stop(self):
        teststack.stop_pid(self.process.pid)


@pytest.fixture(scope="module")
def moto(tmp_path_factory):
    server = Moto(tmp_path_factory.mktemp("moto"))
    yield server
    server.stop()


def env_without_keys(app, moto, **extra) -> dict:
    """The app's settings with moto as the store and no static keys."""
    return {"AWS_ENDPOINT_URL": moto.endpoint, "TASTER_BUCKET": BUCKET, "AWS_ACCESS_KEY_ID": None,
            "AWS_SECRET_ACCESS_KEY": None, **extra}


def run(app, *args, env) -> harness.Run:
    merged = dict(app.env)
    for key, value in env.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = value
    result = harness.run(list(args), merged, tmp=app.tmp)
    app.runs.append(result)
    return result


def test_a_run_with_only_a_web_identity_token_stores_its_reports(app, moto, tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(moto.token)
    env = env_without_keys(app, moto, AWS_WEB_IDENTITY_TOKEN_FILE=str(token_file), AWS_ROLE_ARN=moto.role_arn,
                           AWS_ROLE_SESSION_NAME="taster-e2e", AWS_ENDPOINT_URL_STS=moto.endpoint)
    shown = run(app, "check", "--show-settings", env=env)
    assert shown.returncode == 0, shown
    assert re.search(r"s3\.credentials\s+web identity \(AWS_WEB_IDENTITY_TOKEN_FILE=.*AWS_ROLE_ARN=arn:aws:iam::123456789012:role/taster", shown.stdout), shown
    assert run(app, "pre-taste", env=env).returncode == 0
    app.orders.delete_one({"n": 2})
    post = run(app, "post-taste", env=env)
    assert post.returncode == 1, post
    stored = moto.keys(app.prefix + "/")
    assert any(k.endswith("/pre.json") for k in stored) and any(k.endswith("/verdict.html") for k in stored), stored
    # Temporary keys make no presigned link (it would carry the session token to the chat).
    assert "X-Amz-Signature" not in post.output and "the credentials are temporary" in post.stderr
    assert moto.token not in post.output and moto.token[20:40] not in post.output


def test_a_token_sts_refuses_is_exit_3_naming_the_source(app, moto, tmp_path):
    token_file = tmp_path / "token"
    unknown = secrets.token_urlsafe(30)
    token_file.write_text(f"eyJhbGciOiJSUzI1NiJ9.{unknown}.sig")
    env = env_without_keys(app, moto, AWS_WEB_IDENTITY_TOKEN_FILE=str(token_file), AWS_ROLE_ARN=moto.role_arn,
                           AWS_ENDPOINT_URL_STS=moto.endpoint)
    pre = run(app, "pre-taste", env=env)
    assert pre.returncode == 3, pre
    assert "S3 credentials from the web identity (AWS_WEB_IDENTITY_TOKEN_FILE=" in pre.stderr
    assert "InvalidIdentityToken" in pre.stderr and "OIDC provider" in pre.stderr
    assert unknown not in pre.output and unknown[:10] not in pre.output
    assert "S3 credentials from the web identity" in pre.termination_log


def test_pod_identity_credentials_are_fetched_again_before_they_expire(app, moto, tmp_path):
    token = secrets.token_urlsafe(32)
    token_file = tmp_path / "eks-pod-identity-token"
    token_file.write_text(token)
    # The agent exchanges the pod's identity at STS, as the real one does.
    sts = boto3.client("sts", endpoint_url=moto.endpoint, region_name="us-east-1",
                       config=botocore.config.Config(signature_version=botocore.UNSIGNED))
    agent = PodIdentityAgent(lambda: sts.assume_role_with_web_identity(
        RoleArn=moto.role_arn, RoleSessionName="pod-identity", WebIdentityToken=moto.token)["Credentials"], token, lifetime=2)
    try:
        env = env_without_keys(app, moto, AWS_CONTAINER_CREDENTIALS_FULL_URI=agent.url,
                               AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=str(token_file))
        shown = run(app, "check", "--show-settings", env=env)
        assert "container credentials endpoint (http://127.0.0.1:" in shown.stdout, shown
        # Each workload takes 1.5 s to be ready: the run outlives the 2 s credentials.
        for kind, workload in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
            app.control.workload(app.name, kind, workload, readyDelaySeconds=1.5)
        pre = run(app, "pre-taste", env=env)
        assert pre.returncode == 0, pre
        assert agent.fetches >= 2, f"fetched {agent.fetches} times in a run longer than the keys live"
        assert "fetching new ones" in pre.stderr
        post = run(app, "post-taste", env=env)
        assert post.returncode == 0, post
        assert any(k.endswith("/verdict.json") for k in moto.keys(app.prefix + "/"))
        for issued in agent.issued:
            for secret in (issued["SecretAccessKey"], issued["Token"]):
                for output in (pre.output, post.output):
                    assert secret not in output and secret[:12] not in output

        token_file.write_text("a-token-the-agent-does-not-know")
        refused = run(app, "pre-taste", env=env)
        assert refused.returncode == 3, refused
        assert "S3 credentials from the container credentials endpoint" in refused.stderr
        assert "answered HTTP 401" in refused.stderr and "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE" in refused.stderr
    finally:
        agent.close()
