"""The fault proxy the reliability campaign puts in front of SeaweedFS: requests go through with
their signatures intact, and the faults it is told to inject are what clients see."""
from __future__ import annotations

import time

import boto3
import botocore.config
import botocore.exceptions
import pytest

from faultproxy import FaultProxy


@pytest.fixture
def proxy(stack):
    with FaultProxy(stack["AWS_ENDPOINT_URL"]) as running:
        yield running


def client(stack, proxy):
    return boto3.client("s3", endpoint_url=proxy.url, region_name=stack.get("AWS_REGION", "us-east-1"),
                        aws_access_key_id=stack["AWS_ACCESS_KEY_ID"], aws_secret_access_key=stack["AWS_SECRET_ACCESS_KEY"],
                        config=botocore.config.Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=2,
                                                      read_timeout=5))


def test_signed_requests_go_through(stack, proxy, unique):
    s3 = client(stack, proxy)
    key = f"proxy/{unique}/a.json"
    s3.put_object(Bucket=stack["TASTER_BUCKET"], Key=key, Body=b'{"ok": true}')
    assert s3.get_object(Bucket=stack["TASTER_BUCKET"], Key=key)["Body"].read() == b'{"ok": true}'
    assert [r["answer"] for r in proxy.answered("PUT", key)] == ["200"]


def test_slowdown_and_500_are_s3_errors_for_the_next_n_requests(stack, proxy, unique):
    s3 = client(stack, proxy)
    key = f"proxy/{unique}/b.json"
    proxy.fault(method="PUT", path=r"/b\.json$", action="slowdown", count=1)
    proxy.fault(method="PUT", path=r"/b\.json$", action="status", status=500, count=1)
    codes = []
    for _ in range(3):
        try:
            s3.put_object(Bucket=stack["TASTER_BUCKET"], Key=key, Body=b"{}")
            codes.append("ok")
        except botocore.exceptions.ClientError as error:
            codes.append(error.response["Error"]["Code"])
    assert codes == ["SlowDown", "InternalError", "ok"]


def test_drop_and_down(stack, proxy, unique):
    s3 = client(stack, proxy)
    proxy.fault(method="GET", action="drop", count=1)
    with pytest.raises(botocore.exceptions.BotoCoreError):
        s3.list_objects_v2(Bucket=stack["TASTER_BUCKET"], Prefix=f"proxy/{unique}/")
    proxy.down(1.0)
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        s3.list_objects_v2(Bucket=stack["TASTER_BUCKET"], Prefix=f"proxy/{unique}/")
    time.sleep(1.5)
    assert s3.list_objects_v2(Bucket=stack["TASTER_BUCKET"], Prefix=f"proxy/{unique}/")["KeyCount"] == 0


def test_a_large_object_is_streamed_and_counted(stack, proxy):
    import urllib.request
    proxy.fault(method="GET", path=r"/huge$", action="large", size=8 << 20)
    with urllib.request.urlopen(f"{proxy.url}/{stack['TASTER_BUCKET']}/huge", timeout=10) as response:
        assert response.headers["Content-Length"] == str(8 << 20)
        response.read(1 << 20)
    time.sleep(0.2)
    assert proxy.bytes_sent >= 1 << 20


def test_down_lets_nothing_through_until_it_is_back(stack, proxy, unique):
    s3 = client(stack, proxy)
    key = f"proxy/{unique}/d.json"
    proxy.fault(method="PUT", path=r"/d\.json$", action="down", seconds=1.5)
    for _ in range(2):  # the faulted PUT, then an immediate retry on a fresh connection
        with pytest.raises(botocore.exceptions.BotoCoreError):
            s3.put_object(Bucket=stack["TASTER_BUCKET"], Key=key, Body=b"{}")
    time.sleep(2.0)
    with pytest.raises(botocore.exceptions.ClientError) as missing:
        s3.head_object(Bucket=stack["TASTER_BUCKET"], Key=key)
    assert missing.value.response["Error"]["Code"] in ("404", "NoSuchKey"), "a PUT reached the store while it was down"
    assert all(r["answer"] != "200" for r in proxy.answered("PUT", key))


def test_lose_applies_the_request_but_cuts_the_answer(stack, proxy, unique):
    s3 = client(stack, proxy)
    key = f"proxy/{unique}/l.json"
    proxy.fault(method="PUT", path=r"/l\.json$", action="lose")
    with pytest.raises(botocore.exceptions.BotoCoreError):
        s3.put_object(Bucket=stack["TASTER_BUCKET"], Key=key, Body=b'{"stored": true}')
    assert s3.get_object(Bucket=stack["TASTER_BUCKET"], Key=key)["Body"].read() == b'{"stored": true}'
    assert [r["answer"] for r in proxy.answered("PUT", key)] == ["lost 200"]
