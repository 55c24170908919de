"""The local stack answers: S3 through boto3, the Kubernetes API through real kubectl over HTTPS
with the token, and nothing listens on anything but 127.0.0.1."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError


def s3(stack, access=None, secret=None):
    return boto3.client("s3", endpoint_url=stack["AWS_ENDPOINT_URL"], region_name=stack["AWS_REGION"],
                        aws_access_key_id=access or stack["AWS_ACCESS_KEY_ID"],
                        aws_secret_access_key=secret or stack["AWS_SECRET_ACCESS_KEY"])


def test_s3_put_get_with_boto3(stack, unique):
    client = s3(stack)
    key = f"smoke/{unique}/report.json"
    client.put_object(Bucket=stack["TASTER_BUCKET"], Key=key, Body=b'{"ok": true}', ContentType="application/json")
    body = client.get_object(Bucket=stack["TASTER_BUCKET"], Key=key)["Body"].read()
    assert json.loads(body) == {"ok": True}
    client.delete_object(Bucket=stack["TASTER_BUCKET"], Key=key)


def test_s3_verifies_signatures(stack, unique):
    client = s3(stack, secret="not-the-secret")
    with pytest.raises(ClientError) as error:
        client.put_object(Bucket=stack["TASTER_BUCKET"], Key=f"smoke/{unique}", Body=b"x")
    assert error.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_s3_read_only_identity_cannot_write(stack, unique):
    client = s3(stack, stack["TESTENV_S3_READ_ACCESS_KEY_ID"], stack["TESTENV_S3_READ_SECRET_ACCESS_KEY"])
    with pytest.raises(ClientError) as error:
        client.put_object(Bucket=stack["TASTER_BUCKET"], Key=f"smoke/{unique}", Body=b"x")
    assert error.value.response["Error"]["Code"] == "AccessDenied"


def run_kubectl(kubectl, *args, env=None):
    return subprocess.run([kubectl, *args], capture_output=True, text=True, timeout=30, env=env or os.environ)


def test_kubectl_get_over_https_with_token(stack, kubectl, unique):
    deployment = {"apiVersion": "apps/v1", "kind": "Deployment",
                  "metadata": {"name": "web", "namespace": unique, "labels": {"app": "web"}},
                  "spec": {"replicas": 0, "selector": {"matchLabels": {"app": "web"}},
                           "template": {"metadata": {"labels": {"app": "web"}},
                                        "spec": {"containers": [{"name": "web", "image": "pxbbq:1"}]}}}}
    created = subprocess.run([kubectl, "create", "-f", "-", "--validate=false"], input=json.dumps(deployment),
                             capture_output=True, text=True, timeout=30)
    assert created.returncode == 0, created.stderr
    listed = run_kubectl(kubectl, "get", "deployments", "-n", unique, "-o", "json")
    assert listed.returncode == 0, listed.stderr
    items = json.loads(listed.stdout)["items"]
    assert [item["metadata"]["name"] for item in items] == ["web"]
    one = run_kubectl(kubectl, "get", "deployment", "web", "-n", unique)
    assert one.returncode == 0 and "web" in one.stdout
    sts = run_kubectl(kubectl, "get", "statefulsets", "-n", unique)
    assert sts.returncode == 0 and "No resources found" in sts.stderr
    missing = run_kubectl(kubectl, "get", "deployment", "nope", "-n", unique)
    assert missing.returncode == 1
    assert 'deployments.apps "nope" not found' in missing.stderr


def test_kubectl_wrong_token_is_unauthorized(stack, kubectl):
    result = run_kubectl(kubectl, "--token=wrong-token", "get", "deployments")
    assert result.returncode == 1
    assert "Unauthorized" in result.stderr


def test_kubectl_without_the_ca_refuses_the_server(stack, kubectl, tmp_path):
    config = json.loads(Path(stack["KUBECONFIG"]).read_text())
    del config["clusters"][0]["cluster"]["certificate-authority-data"]
    path = tmp_path / "config"
    path.write_text(json.dumps(config))
    result = run_kubectl(kubectl, "--kubeconfig", str(path), "get", "deployments")
    assert result.returncode == 1
    assert "certificate" in result.stderr


def listening_addresses(pid: int) -> set[str]:
    """Local addresses of the listening TCP sockets a process owns, from /proc."""
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A = LISTEN
                address = fields[1].split(":")[0]
                found.add(address)
    return found


def test_everything_listens_on_loopback_only(stack):
    pids = json.loads((Path(stack["TESTENV_RUN"]) / "pids.json").read_text())
    assert set(pids) == {"mongo", "postgres", "s3", "kube"}
    for name, pid in pids.items():
        addresses = listening_addresses(pid)
        assert addresses, f"{name} listens nowhere"
        # 0100007F is 127.0.0.1 in /proc's little-endian hex.
        assert addresses == {"0100007F"}, f"{name} listens on {addresses}"
