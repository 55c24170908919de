"""Verdicts that name the documents lost, added and modified since the baseline (issue 15), end to
end through the binary on the local stack (SecantusDB, the one MongoDB-wire server here).

Every test seeds a sentinel value in the data and scans every output and stored object for it:
field values are never stored, printed or sent, only `_id`s and field names."""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
import uuid

import pytest

import bson
from bson import Binary, Int64, ObjectId
from bson.decimal128 import Decimal128

import harness

SENTINEL = "SENTINEL-v4lue-9c1e"
# The evidence key of most runs here; the fixture's secret scan looks for it (and its pieces) in
# every output and stored object, as assert_no_sentinel looks for the key derived from it.
EVIDENCE_KEY = "EvK3y-7f2a9c41d0b8e6aa5c"

FINGERPRINT = """checks:
  - name: orders-fingerprint
    kind: fingerprint
    collection: ORDERS
    fields: [status, total, n]
"""


def objects_with(app, part: str) -> dict[str, bytes]:
    return {key: body for key, body in app.objects().items() if part in key}


def evidence_of(verdict: dict, check: str) -> dict:
    return next(c for c in verdict["checks"] if c["name"] == check)["evidence"]


def digest_key(secret: str | bytes) -> bytes:
    """The key of the field digests, as docs/reports.md says: HKDF-SHA-256 of TASTER_EVIDENCE_KEY
    (or of the stretched database password)."""
    material = secret.encode() if isinstance(secret, str) else secret
    prk = hmac.new(b"taster/evidence-key/v2", material, hashlib.sha256).digest()
    return hmac.new(prk, b"field digests\x01", hashlib.sha256).digest()


def key_id(key: bytes) -> str:
    return hmac.new(key, b"taster evidence key id", hashlib.sha256).digest()[:8].hex()


def password_key(app, salt: bytes, rounds: int) -> bytes:
    """The key of the field digests derived from the database password, as docs/reports.md says."""
    password = urllib.parse.unquote(urllib.parse.urlsplit(app.env["MONGODB_URI"]).password or "")
    assert password, "the stack's MONGODB_URI has no password"
    return digest_key(hashlib.pbkdf2_hmac("sha256", password.encode(), salt, rounds, 32))


def field_digest(key: bytes, element: bytes) -> bytes:
    digest = bytearray(hmac.new(key, element, hashlib.sha256).digest()[:4])
    if digest == bytearray(4):
        digest[3] = 1
    return bytes(digest)


def assert_no_sentinel(app) -> None:
    hits = [f"run {i} {run.args[0]}" for i, run in enumerate(app.runs) if SENTINEL in run.output]
    hits += [key for key, body in app.objects().items() if SENTINEL.encode() in body]
    # Neither the evidence key nor the key derived from it, in any output or stored object.
    derived = digest_key(EVIDENCE_KEY)
    for needle in (EVIDENCE_KEY.encode(), derived, derived.hex().encode()):
        hits += [f"run {i} {run.args[0]}: the evidence key" for i, run in enumerate(app.runs) if needle.decode("latin-1") in run.output]
        hits += [f"{key}: the evidence key" for key, body in app.objects().items() if needle in body]
    assert hits == [], f"a field value or the evidence key leaked: {hits}"


def seed_sentinels(app) -> None:
    # A value of an indexed field, and one of a field no check reads.
    app.orders.update_many({"n": {"$lt": 20}}, {"$set": {"status": SENTINEL, "note": SENTINEL}})


def test_lost_added_and_modified_documents_are_named(app):
    seed_sentinels(app)
    app.checks(FINGERPRINT)
    app.env["TASTER_EVIDENCE_KEY"] = EVIDENCE_KEY
    pre = app.run("pre-taste")
    assert pre.returncode == 0, pre
    stored = json.loads(next(body for key, body in app.objects().items() if key.endswith("/pre.json")))
    assert stored["schemaVersion"] == 3, (pre, list(app.objects()))
    assert stored["evidenceKey"] == {"id": next(c for c in stored["snapshot"]["checks"] if c["name"] == "orders-fingerprint")["index"]["keyID"]}
    index = next(c for c in stored["snapshot"]["checks"] if c["name"] == "orders-fingerprint")["index"]
    assert index["documents"] == 200 and index["format"] == 2 and len(index["sha256"]) == 64
    assert len(index["keyID"]) == 16, index
    # ObjectId ids and three fields: 1 + 1 + 12 + 12 bytes a document, and the header.
    assert index["bytes"] <= 200 * 26 + 64, index
    # The digests are the documented keyed ones: HMAC-SHA-256 of the BSON element under an empty
    # key (type, 0x00, value), under the key HKDF derives from TASTER_EVIDENCE_KEY.
    tidx = next(body for key, body in app.objects().items() if key.endswith(".tidx"))
    order = app.orders.find_one({"n": 32})
    assert order["status"] == "open"
    record = tidx[tidx.index(b"\x07\x0c" + order["_id"].binary) + 14:][:12]
    status = b"\x02\x00" + (len("open") + 1).to_bytes(4, "little") + b"open\x00"
    n = b"\x10\x00" + (32).to_bytes(4, "little")
    key = digest_key(EVIDENCE_KEY)
    assert record[0:4] == field_digest(key, status) and record[8:12] == field_digest(key, n), record.hex()
    assert record[0:4] != hashlib.sha256(b"\x02" + status[2:]).digest()[:4]

    lost = [d["_id"] for d in app.orders.find({"n": {"$in": [3, 5, 7]}}, {"_id": 1})]
    app.orders.delete_many({"_id": {"$in": lost}})
    added = app.orders.insert_one({"n": 1000, "status": "paid", "total": Decimal128("1.00")}).inserted_id
    app.orders.update_one({"n": 10}, {"$set": {"status": "refunded"}})          # an indexed field
    app.orders.update_one({"n": 11}, {"$set": {"n": Int64(11)}})                # int32 → int64
    app.orders.update_one({"n": 12}, {"$unset": {"total": ""}})                 # a removed field
    app.orders.update_one({"n": 13}, {"$set": {"note": "another"}})             # not in fields
    post = app.run("post-taste")
    assert post.returncode == 1, post
    verdict = app.verdict()
    assert verdict["schemaVersion"] == 2
    assert json.loads(next(body for key, body in app.objects().items() if key.endswith("/post.json")))["schemaVersion"] == 3
    evidence = evidence_of(verdict, "orders-fingerprint")
    assert evidence["lost"]["count"] == 3
    assert [d["_id"] for d in evidence["lost"]["first"]] == [json.dumps({"$oid": str(i)}, separators=(",", ":")) for i in sorted(lost)]
    assert evidence["added"]["count"] == 1
    assert evidence["added"]["first"] == [{"_id": f'{{"$oid":"{added}"}}'}]
    modified = {d["_id"]: d["fields"] for d in evidence["modified"]["first"]}
    by_n = {d["n"]: f'{{"$oid":"{d["_id"]}"}}' for d in app.orders.find({"n": {"$in": [10, 11, 12, 13]}})}
    assert modified == {by_n[10]: ["status"], by_n[11]: ["n"], by_n[12]: ["total"]}, modified
    assert evidence["modified"]["count"] == 3

    # The full list, one JSON object a line.
    lists = objects_with(app, "/changes/")
    assert list(lists) == [evidence["list"]]
    lines = [json.loads(line) for line in lists[evidence["list"]].decode().splitlines()]
    assert sorted(line["change"] for line in lines) == ["added", "lost", "lost", "lost", "modified", "modified", "modified"]
    assert {"$oid": str(lost[0])} in [line["_id"] for line in lines]

    # Where people look: the table, the summary line, the page.
    assert "FAIL: 3 lost, 1 added, 3 modified" in post.stdout, post
    assert str(lost[0]) in post.stdout and str(lost[0]) in post.termination_log, post
    page = next(body for key, body in app.objects().items() if key.endswith("verdict.html")).decode()
    assert str(lost[0]) in page and "status" in page and "changes/orders-fingerprint.ndjson" in page
    assert "<th>_id</th><th>Fields that changed</th>" in page

    # taster compare names them too, from the indexes next to the reports, and lists them whole.
    folder = f"s3://{app.stack['TASTER_BUCKET']}/" + evidence["list"].rsplit("/changes/", 1)[0]
    compared = app.run("compare", f"{folder}/pre.json", f"{folder}/post.json")
    assert compared.returncode == 1 and "FAIL: 3 lost, 1 added, 3 modified" in compared.stdout, compared
    listed = app.run("compare", f"{folder}/pre.json", f"{folder}/post.json", "--changes", "orders-fingerprint")
    assert listed.returncode == 1, listed
    assert sorted(json.loads(line)["change"] for line in listed.stdout.splitlines()) == sorted(line["change"] for line in lines)
    unknown = app.run("compare", f"{folder}/pre.json", f"{folder}/post.json", "--changes", "nope")
    assert unknown.returncode == 2 and "no check of that name" in unknown.output, unknown
    assert_no_sentinel(app)


def test_the_notification_carries_the_counts_and_first_ids(app):
    from recorder import Recorder
    seed_sentinels(app)
    app.checks(FINGERPRINT)
    with Recorder("/services/T0/B0/notifyTokenXYZ123") as receiver:
        assert app.run("pre-taste").returncode == 0
        gone = app.orders.find_one({"n": 2})["_id"]
        app.orders.delete_one({"_id": gone})
        post = app.run("post-taste", env={"TASTER_NOTIFY_URL": receiver.url})
    assert post.returncode == 1, post
    failed = next(c for c in receiver.received[0]["body"]["failedChecks"] if c["name"] == "orders-fingerprint")
    assert failed["documents"]["lost"] == 1 and failed["documents"]["first"] == [f'lost {{"$oid":"{gone}"}}']
    assert SENTINEL not in json.dumps(receiver.received)
    assert_no_sentinel(app)


def test_nothing_listed_when_documents_come_back_identical(app):
    seed_sentinels(app)
    app.checks(FINGERPRINT)
    assert app.run("pre-taste").returncode == 0
    document = app.orders.find_one({"n": 4})
    app.orders.delete_one({"_id": document["_id"]})
    app.orders.insert_one(document)
    app.orders.update_one({"n": 6}, {"$set": {"note": "a field no check reads"}})
    post = app.run("post-taste")
    assert post.returncode == 0, post
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert evidence["lost"]["count"] == evidence["added"]["count"] == evidence["modified"]["count"] == 0
    assert "list" not in evidence and not objects_with(app, "/changes/")
    assert_no_sentinel(app)


def test_writes_after_the_baseline_with_as_of_are_not_listed(app):
    app.checks(FINGERPRINT.replace("fields:", "asOf: baseline\n    fields:"))
    app.env["TASTER_COLLECTIONS"] = app.registrations.name  # the default count of orders has no cut
    assert app.run("pre-taste").returncode == 0
    time.sleep(1.1)  # ObjectIds carry whole seconds: a write in the baseline's second is in the cut
    app.orders.insert_one({"n": 5000, "status": "paid", "total": Decimal128("2.00")})
    post = app.run("post-taste")
    assert post.returncode == 0, post
    assert evidence_of(app.verdict(), "orders-fingerprint")["added"]["count"] == 0


def test_ids_of_every_shape_in_one_collection(app):
    mixed = app.db[f"{app.name}-mixed"]
    ids = [ObjectId(), "order-17", 42, Int64(2**40), 2.5, Binary(uuid.UUID(int=7).bytes, 4),
           {"shop": "berlin", "seq": 3}, -7, "apple", Binary(b"\x01\x02", 0)]
    mixed.insert_many([{"_id": i, "status": "paid", "secret": SENTINEL} for i in ids])
    try:
        app.checks(f"checks:\n  - name: mixed\n    kind: fingerprint\n    collection: {mixed.name}\n    fields: [status]\n")
        assert app.run("pre-taste").returncode == 0
        gone = ["order-17", 42, Int64(2**40), 2.5, Binary(uuid.UUID(int=7).bytes, 4), {"shop": "berlin", "seq": 3}]
        mixed.delete_many({"_id": {"$in": gone}})
        mixed.update_one({"_id": "apple"}, {"$set": {"status": "void"}})
        post = app.run("post-taste")
        assert post.returncode == 1, post
        evidence = evidence_of(app.verdict(), "mixed")
        assert evidence.get("unavailable") is None, evidence
        assert sorted(d["_id"] for d in evidence["lost"]["first"]) == sorted([
            '"order-17"', '{"$numberInt":"42"}', '{"$numberLong":"1099511627776"}', '{"$numberDouble":"2.5"}',
            '{"$binary":{"base64":"AAAAAAAAAAAAAAAAAAAAAw==","subType":"04"}}'.replace("AAAAAAAAAAAAAAAAAAAAAw==", "AAAAAAAAAAAAAAAAAAAABw=="),
            '{"shop":"berlin","seq":{"$numberInt":"3"}}'])
        assert evidence["modified"]["first"] == [{"_id": '"apple"', "fields": ["status"]}]
        assert_no_sentinel(app)
    finally:
        app.db.drop_collection(mixed.name)


def test_decimal128_ids_are_named_in_numeric_order(app):
    decimals = app.db[f"{app.name}-decimals"]
    ids = [Decimal128("1.5"), Decimal128("10"), Decimal128("-3.25"), 2, 7.5, Decimal128("2.000001"), Int64(-4),
           Decimal128("1E+3"), Decimal128("0.001")]
    decimals.insert_many([{"_id": i, "status": "paid"} for i in ids])
    try:
        app.checks(f"checks:\n  - name: decimals\n    kind: fingerprint\n    collection: {decimals.name}\n    fields: [status]\n")
        assert app.run("pre-taste").returncode == 0
        decimals.delete_many({"_id": {"$in": [Decimal128("10"), Decimal128("-3.25")]}})
        decimals.update_one({"_id": Decimal128("2.000001")}, {"$set": {"status": "void"}})
        post = app.run("post-taste")
        assert post.returncode == 1, post
        evidence = evidence_of(app.verdict(), "decimals")
        assert evidence.get("unavailable") is None, evidence
        assert [d["_id"] for d in evidence["lost"]["first"]] == ['{"$numberDecimal":"-3.25"}', '{"$numberDecimal":"10"}']
        assert evidence["modified"]["first"] == [{"_id": '{"$numberDecimal":"2.000001"}', "fields": ["status"]}]
    finally:
        app.db.drop_collection(decimals.name)


def test_an_empty_collection_on_either_side_and_a_dropped_one(app):
    empty = app.db[f"{app.name}-empty"]
    empty.insert_one({"_id": "x", "status": "a"})
    empty.delete_many({})
    try:
        app.checks(FINGERPRINT + f"  - name: empty\n    kind: fingerprint\n    collection: {empty.name}\n    fields: [status]\n")
        assert app.run("pre-taste").returncode == 0
        empty.insert_many([{"_id": "a", "status": "new"}, {"_id": "b", "status": "new"}])
        app.db.drop_collection(app.orders.name)
        post = app.run("post-taste")
        assert post.returncode == 1, post
        verdict = app.verdict()
        assert evidence_of(verdict, "empty")["added"]["count"] == 2
        dropped = evidence_of(verdict, "orders-fingerprint")
        assert "does not exist" in dropped["unavailable"], dropped
        assert "vanished" in post.stdout
    finally:
        app.db.drop_collection(empty.name)


def damage(app, how: str) -> None:
    key, body = next((k, b) for k, b in app.objects().items() if k.endswith(".tidx"))
    if how == "truncated":
        body = body[: len(body) // 2]
    elif how == "corrupt":
        body = body[:40] + bytes(b ^ 0xFF for b in body[40:60]) + body[60:]
    elif how == "replaced":
        body = body[:-9] + b"\x00" + (0).to_bytes(8, "big")
    client = harness.s3_client(app.stack)
    if how == "missing":
        client.delete_object(Bucket=app.stack["TASTER_BUCKET"], Key=key)
        return
    client.put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=body)


def test_a_damaged_index_leaves_the_verdict_to_the_fingerprint(app):
    for how, words in (("truncated", "bytes, pre.json recorded"), ("corrupt", "checksum"), ("replaced", "checksum"),
                       ("missing", "is missing")):
        app.checks(FINGERPRINT)
        pre = app.run("pre-taste", env={"TASTER_RUN_ID": f"damaged-{how}"})
        assert pre.returncode == 0, pre
        damage(app, how)
        app.orders.delete_one({"n": {"$gte": 100}})
        post = app.run("post-taste", env={"TASTER_RUN_ID": f"damaged-{how}"})
        assert post.returncode == 1, post
        verdicts = [json.loads(b) for k, b in app.objects().items() if k.endswith(f"damaged-{how}/verdict.json")]
        evidence = evidence_of(verdicts[0], "orders-fingerprint")
        assert words in evidence["unavailable"], evidence
        assert "documents cannot be named" in post.stdout, post
        for key in [k for k in app.objects() if k.endswith(".tidx")]:
            harness.s3_client(app.stack).delete_object(Bucket=app.stack["TASTER_BUCKET"], Key=key)


def test_a_version_1_baseline_has_no_index(app):
    app.checks(FINGERPRINT)
    assert app.run("pre-taste").returncode == 0
    key, body = next((k, b) for k, b in app.objects().items() if k.endswith("/pre.json"))
    report = json.loads(body)
    report["schemaVersion"] = 1
    for check in report["snapshot"]["checks"]:
        check.pop("index", None)
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=json.dumps(report).encode())
    app.orders.delete_one({"n": 3})
    post = app.run("post-taste")
    assert post.returncode == 1, post
    assert "predates evidence" in evidence_of(app.verdict(), "orders-fingerprint")["unavailable"]


def test_an_index_of_format_1_was_made_by_an_older_taster(app):
    app.checks(FINGERPRINT)
    assert app.run("pre-taste").returncode == 0
    key, body = next((k, b) for k, b in app.objects().items() if k.endswith("/pre.json"))
    report = json.loads(body)
    for check in report["snapshot"]["checks"]:
        if "index" in check:
            check["index"]["format"] = 1
            check["index"].pop("keyID", None)
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=json.dumps(report).encode())
    app.orders.delete_one({"n": 3})
    post = app.run("post-taste")
    assert post.returncode == 1, post
    assert "made by an older taster" in evidence_of(app.verdict(), "orders-fingerprint")["unavailable"]
    assert "documents cannot be named" in post.stdout, post


def test_a_changed_evidence_key_is_detected_and_the_fingerprint_judges(app):
    seed_sentinels(app)
    app.checks(FINGERPRINT)
    # A key of its own at pre-taste, another at post-taste (rotated between the hooks).
    pre = app.run("pre-taste", env={"TASTER_EVIDENCE_KEY": EVIDENCE_KEY})
    assert pre.returncode == 0, pre
    assert "evidence key" in pre.output and EVIDENCE_KEY not in pre.output
    app.orders.delete_one({"n": 3})
    post = app.run("post-taste", env={"TASTER_EVIDENCE_KEY": "another-key-0f3c8e2b5a7d9164"})
    assert post.returncode == 1, post
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert "the evidence key changed" in evidence["unavailable"], evidence
    assert "documents cannot be named: the evidence key changed" in post.stdout, post
    assert "FAIL" in post.stdout
    assert_no_sentinel(app)


def test_the_evidence_key_by_default_is_derived_from_the_password_and_checked(app):
    app.checks(FINGERPRINT)
    pre = app.run("pre-taste")
    assert pre.returncode == 0, pre
    assert "from the password in MONGODB_URI" in pre.output, pre
    shown = app.run("check", "--show-settings")
    assert "derived from the password in MONGODB_URI" in shown.stdout, shown
    short = app.run("check", "--show-settings", env={"TASTER_EVIDENCE_KEY": "short-key"})
    assert short.returncode == 2 and "TASTER_EVIDENCE_KEY" in short.output and "short-key" not in short.output, short
    limit = app.run("post-taste", env={"TASTER_EVIDENCE_LIMIT": "1001"})
    assert limit.returncode == 2 and "from 0 to 1000" in limit.output, limit
    app.orders.update_one({"n": 10}, {"$set": {"status": "refunded"}})
    post = app.run("post-taste")
    assert post.returncode == 1, post
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert evidence["modified"]["count"] == 1 and evidence["modified"]["first"][0]["fields"] == ["status"], evidence


def test_a_count_names_documents_with_evidence_documents_and_report_only(app):
    app.checks("checks:\n  - name: paid\n    kind: count\n    collection: ORDERS\n    filter: {status: paid}\n    evidence: documents\n")
    assert app.run("pre-taste").returncode == 0
    gone = app.orders.find_one({"status": "paid"})["_id"]
    app.orders.delete_one({"_id": gone})
    post = app.run("post-taste", "--report-only")
    assert post.returncode == 0, post
    evidence = evidence_of(app.verdict(), "paid")
    assert evidence["lost"]["first"] == [{"_id": f'{{"$oid":"{gone}"}}'}]
    assert str(gone) in post.stdout


def test_over_the_limit_the_index_is_skipped_and_the_verdict_still_works(app):
    app.checks(FINGERPRINT)
    pre = app.run("pre-taste", env={"TASTER_EVIDENCE_MAX_DOCUMENTS": "50"})
    assert pre.returncode == 0, pre
    assert "TASTER_EVIDENCE_MAX_DOCUMENTS" in pre.output
    app.orders.delete_one({"n": 3})
    post = app.run("post-taste", env={"TASTER_EVIDENCE_MAX_DOCUMENTS": "50"})
    assert post.returncode == 1, post
    assert "TASTER_EVIDENCE_MAX_DOCUMENTS" in evidence_of(app.verdict(), "orders-fingerprint")["unavailable"]


def pre_report(app, run_id: str) -> tuple[str, dict]:
    key, body = next((k, b) for k, b in app.objects().items() if k.endswith(f"/{run_id}/pre.json"))
    return key, json.loads(body)


def put_report(app, key: str, report: dict) -> None:
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=key, Body=json.dumps(report).encode())


def test_each_baseline_gets_a_salt_of_its_own_and_post_taste_derives_with_it(app):
    app.checks(FINGERPRINT)
    records = []
    for run_id in ("salted-1", "salted-2"):
        pre = app.run("pre-taste", env={"TASTER_RUN_ID": run_id})
        assert pre.returncode == 0, pre
        assert "deriving the evidence key from the database password (600000 rounds)… done in" in pre.output, pre
        _, report = pre_report(app, run_id)
        assert report["schemaVersion"] == 3
        record = report["evidenceKey"]
        assert sorted(record) == ["id", "rounds", "salt"] and record["rounds"] == 600_000, record
        assert len(bytes.fromhex(record["salt"])) == 16, record
        index = next(c for c in report["snapshot"]["checks"] if c["name"] == "orders-fingerprint")["index"]
        assert index["keyID"] == record["id"]
        # The id is the documented derivation of the password under this salt, computed apart.
        assert key_id(password_key(app, bytes.fromhex(record["salt"]), record["rounds"])) == record["id"]
        records.append(record)
    assert records[0]["salt"] != records[1]["salt"] and records[0]["id"] != records[1]["id"], records
    app.orders.update_one({"n": 10}, {"$set": {"status": "refunded"}})
    post = app.run("post-taste", env={"TASTER_RUN_ID": "salted-2"})
    assert post.returncode == 1, post
    assert "(600000 rounds, the baseline's)" in post.output, post
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert evidence.get("unavailable") is None and evidence["modified"]["count"] == 1, evidence
    stored = json.loads(next(b for k, b in app.objects().items() if k.endswith("/salted-2/post.json")))
    assert stored["evidenceKey"] == records[1]
    # With TASTER_EVIDENCE_KEY nothing is derived and nothing but the id is recorded.
    keyed = app.run("pre-taste", env={"TASTER_RUN_ID": "keyed", "TASTER_EVIDENCE_KEY": EVIDENCE_KEY})
    assert keyed.returncode == 0 and "deriving the evidence key" not in keyed.output, keyed
    assert pre_report(app, "keyed")[1]["evidenceKey"] == {"id": key_id(digest_key(EVIDENCE_KEY))}


def test_no_key_is_derived_without_a_check_that_keeps_an_index(app):
    app.checks("checks:\n  - name: paid\n    kind: count\n    collection: ORDERS\n    filter: {status: paid}\n")
    pre = app.run("pre-taste")
    assert pre.returncode == 0 and "deriving the evidence key" not in pre.output, pre
    report = json.loads(next(b for k, b in app.objects().items() if k.endswith("/pre.json")))
    assert "evidenceKey" not in report


@pytest.mark.parametrize("edit,reason", [
    (lambda report: report["evidenceKey"].update(rounds=5), "rounds 5 is outside 10000–10000000"),
    (lambda report: report["evidenceKey"].update(rounds=10**15), "rounds 1000000000000000 is outside"),
    (lambda report: report["evidenceKey"].update(rounds="many"), "its rounds is not a whole number"),
    (lambda report: report["evidenceKey"].update(salt="abcd"), "its salt is not 16 bytes of hex"),
    (lambda report: report["evidenceKey"].update(salt="not hex at all, but 32 chars!!!!"), "its salt is not 16 bytes of hex"),
    (lambda report: report["evidenceKey"].pop("salt"), "it has rounds but no salt"),
    (lambda report: report.pop("evidenceKey"), "it is missing, yet the baseline's indexes were made with a key"),
], ids=["rounds-low", "rounds-huge", "rounds-not-a-number", "salt-short", "salt-not-hex", "salt-gone", "record-gone"])
def test_a_damaged_evidence_key_record_leaves_the_verdict_to_the_fingerprint(app, edit, reason):
    app.checks(FINGERPRINT)
    assert app.run("pre-taste", env={"TASTER_RUN_ID": "damaged-key"}).returncode == 0
    key, report = pre_report(app, "damaged-key")
    edit(report)
    put_report(app, key, report)
    app.orders.delete_one({"n": 3})
    started = time.monotonic()
    post = app.run("post-taste", env={"TASTER_RUN_ID": "damaged-key"})
    assert post.returncode == 1, post   # the fingerprint's failure, as with a damaged index
    assert time.monotonic() - started < 60, "a damaged record must not cost unbounded CPU"
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert "the baseline's evidenceKey record is damaged" in evidence["unavailable"], evidence
    assert reason in evidence["unavailable"], evidence
    assert "documents cannot be named: the baseline's evidenceKey record is damaged" in post.stdout, post
    assert "orders-fingerprint" in post.stdout and "FAIL" in post.stdout


def test_a_baseline_of_schema_version_2_still_names_documents(app):
    """A baseline as taster wrote it before the salt of each baseline: the one salt and 100,000
    rounds of then (its index rewritten under that key, its record without evidenceKey)."""
    app.checks(FINGERPRINT)
    assert app.run("pre-taste", env={"TASTER_RUN_ID": "old-baseline"}).returncode == 0
    key, report = pre_report(app, "old-baseline")
    legacy = password_key(app, b"taster/evidence-key/v2", 100_000)
    index_record = next(c for c in report["snapshot"]["checks"] if c["name"] == "orders-fingerprint")["index"]
    tidx = bytearray(app.objects()[index_record["key"]])
    documents = {d["_id"].binary: d for d in app.orders.find({})}
    fields = ["status", "total", "n"]
    header = tidx.index(b"\x07\x0c")  # the first ObjectId record: the header's end
    for position in range(header, len(tidx) - 9, 26):
        assert tidx[position:position + 2] == b"\x07\x0c"
        document = documents[bytes(tidx[position + 2:position + 14])]
        for number, field in enumerate(fields):
            digest = field_digest(legacy, bson.encode({"": document[field]})[4:-1]) if field in document else bytes(4)
            tidx[position + 14 + 4 * number:position + 18 + 4 * number] = digest
    harness.s3_client(app.stack).put_object(Bucket=app.stack["TASTER_BUCKET"], Key=index_record["key"], Body=bytes(tidx))
    index_record.update(keyID=key_id(legacy), sha256=hashlib.sha256(tidx).hexdigest())
    report["schemaVersion"] = 2
    report.pop("evidenceKey")
    put_report(app, key, report)
    app.orders.update_one({"n": 10}, {"$set": {"status": "refunded"}})
    post = app.run("post-taste", env={"TASTER_RUN_ID": "old-baseline"})
    assert post.returncode == 1, post
    assert "(100000 rounds, the baseline's of schemaVersion 2)" in post.output, post
    evidence = evidence_of(app.verdict(), "orders-fingerprint")
    assert evidence.get("unavailable") is None, evidence
    assert evidence["modified"]["count"] == 1 and evidence["modified"]["first"][0]["fields"] == ["status"], evidence
    assert evidence["lost"]["count"] == evidence["added"]["count"] == 0
