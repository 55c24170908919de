#!/usr/bin/env python3
"""Writes Tests/Fixtures/sigv4-botocore.json: S3 requests signed by botocore's own
S3SigV4Auth at a fixed time, which the Swift signer must reproduce byte for byte (canonical
request, string to sign, Authorization header).

    .venv/bin/python testenv/sigv4_fixtures.py        # regenerate the committed fixture

The inputs cover what taster sends: create-only JSON puts with Content-MD5, keys with spaces,
unicode, `+ ~ = / %`, ListObjectsV2 with prefixes and continuation tokens, HEAD and DELETE,
path-style and virtual-hosted hosts, ports, regions, session tokens and secrets with `/+`.
Paths are percent-encoded the way botocore's own serializer encodes keys (`safe='/~'`), and
that encoding is recorded too, so the Swift test checks the URL path as well as the signature.
"""
from __future__ import annotations

import base64
import datetime
import hashlib
import json
import sys
from pathlib import Path
from unittest import mock

import botocore
import botocore.auth
from botocore.auth import S3SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.utils import percent_encode

OUT = Path(__file__).resolve().parent.parent / "Tests/Fixtures/sigv4-botocore.json"
WHEN = datetime.datetime(2026, 11, 21, 10, 0, 0)

REPORT = json.dumps({"schema": "taster.report/v1", "runId": "20261121T100000Z", "collections": {"orders": 1200}},
                    separators=(",", ":")).encode()

CASES = [
    dict(name="put-report-create-only", method="PUT", scheme="http", host="127.0.0.1:8333", bucket="taster-reports",
         key="taster/pxbbq/pxbbq/runs/20261121T100000Z/pre.json", body=REPORT, content_type="application/json",
         md5=True, create_only=True),
    dict(name="put-key-space-unicode-plus", method="PUT", scheme="http", host="127.0.0.1:8333", bucket="taster-reports",
         key="reports/my report+v1 ~=ü/ñ €.json", body=b'{"ok":true}', content_type="application/json", md5=True),
    dict(name="put-key-reserved-characters", method="PUT", scheme="https", host="minio.example.com:9000",
         bucket="taster-reports", key="odd/%41?#*!'()[]&$,;:@ .json", body=b"{}", content_type="application/json", md5=True),
    dict(name="put-empty-body", method="PUT", scheme="https", host="s3.us-east-1.amazonaws.com", bucket="taster-reports",
         key="empty.json", body=b"", content_type="application/json", md5=True),
    dict(name="get-virtual-hosted-session-token", method="GET", scheme="https",
         host="taster-reports.s3.eu-central-1.amazonaws.com", bucket=None, key="taster/team/app/latest-pre.json",
         region="eu-central-1", token="FwoGZXIvYXdzEJr//////////wEaDO5+token/with+slashes=="),
    dict(name="head-object", method="HEAD", scheme="http", host="127.0.0.1:8333", bucket="taster-reports",
         key="taster/pxbbq/pxbbq/runs/r1/verdict.json"),
    dict(name="delete-object", method="DELETE", scheme="http", host="localhost:8333", bucket="taster-reports",
         key="taster/pxbbq/pxbbq/runs/r1/post.json"),
    dict(name="list-objects-v2-first-page", method="GET", scheme="http", host="127.0.0.1:8333", bucket="taster-reports",
         key=None, params=[("list-type", "2"), ("prefix", "taster/pxbbq/app name/ü+/")]),
    dict(name="list-objects-v2-continuation", method="GET", scheme="https", host="s3.ap-southeast-2.amazonaws.com",
         bucket="taster-reports", key=None, region="ap-southeast-2",
         params=[("list-type", "2"), ("prefix", "taster/"), ("continuation-token", "1/xyz+abc==/=")]),
    dict(name="list-objects-v2-virtual-hosted", method="GET", scheme="https", host="taster-reports.s3.taster.test:8443",
         bucket=None, key=None, params=[("list-type", "2"), ("prefix", "taster/a b/")]),
    dict(name="get-secret-with-slash-plus", method="GET", scheme="http", host="127.0.0.1:8333", bucket="taster-reports",
         key="k.json", access="TASTERQ1W2E3R4T5Y6U7", secret="ab12CD/+ef34GH56ij78KL90mn/+op12QR"),
]

DEFAULT_ACCESS = "AKIAIOSFODNN7EXAMPLE"
DEFAULT_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


def sign(case: dict) -> dict:
    path = "/" + "/".join(part for part in (case.get("bucket"), case.get("key")) if part is not None)
    if case.get("bucket") and case.get("key") is None:
        path = "/" + case["bucket"]
    encoded_path = percent_encode(path, safe="/~")
    headers = {}
    body = case.get("body")
    if case.get("content_type"):
        headers["Content-Type"] = case["content_type"]
    if case.get("md5"):
        headers["Content-MD5"] = base64.b64encode(hashlib.md5(body).digest()).decode()
    if case.get("create_only"):
        headers["If-None-Match"] = "*"
    params = case.get("params") or []
    request = AWSRequest(method=case["method"], url=f"{case['scheme']}://{case['host']}{encoded_path}",
                         headers=dict(headers), data=body, params=dict(params))
    request.context["client_config"] = Config(s3={"payload_signing_enabled": True})
    credentials = Credentials(case.get("access", DEFAULT_ACCESS), case.get("secret", DEFAULT_SECRET), case.get("token"))
    auth = S3SigV4Auth(credentials, "s3", case.get("region", "us-east-1"))
    captured = {}
    original_canonical, original_sts = auth.canonical_request, auth.string_to_sign

    def canonical_request(req):
        captured["canonicalRequest"] = original_canonical(req)
        return captured["canonicalRequest"]

    def string_to_sign(req, canonical):
        captured["stringToSign"] = original_sts(req, canonical)
        return captured["stringToSign"]

    auth.canonical_request, auth.string_to_sign = canonical_request, string_to_sign
    with mock.patch.object(botocore.auth, "get_current_datetime", return_value=WHEN):
        auth.add_auth(request)
    return {
        "name": case["name"],
        "method": case["method"],
        "host": request.headers.get("Host") or case["host"],
        "path": path,
        "encodedPath": encoded_path,
        "query": [list(pair) for pair in params],
        "headers": [[name, value] for name, value in headers.items()],
        "bodyBase64": base64.b64encode(body or b"").decode(),
        "accessKeyID": credentials.access_key,
        "secretAccessKey": credentials.secret_key,
        "sessionToken": credentials.token,
        "region": case.get("region", "us-east-1"),
        "canonicalRequest": captured["canonicalRequest"],
        "stringToSign": captured["stringToSign"],
        "authorization": request.headers["Authorization"],
    }


def main() -> int:
    cases = [sign(case) for case in CASES]
    document = {
        "about": "S3 requests signed by botocore's S3SigV4Auth (payload signing on) at a fixed time; "
                 "generated by testenv/sigv4_fixtures.py — do not edit by hand.",
        "botocore": botocore.__version__,
        "timestamp": WHEN.strftime("%Y%m%dT%H%M%SZ"),
        "cases": cases,
    }
    OUT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
