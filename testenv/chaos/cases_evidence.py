"""The document index (issue 15): an index damaged in the bucket (truncated, not matching its
checksum, of the older unkeyed format), an evidence key changed between the hooks, and a baseline
whose evidenceKey record asks post-taste for an absurd number of PBKDF2 rounds. None of it
may turn a failure into a pass or block the verdict: the check is judged by its fingerprint, the
verdict says why its documents cannot be named, the exit code is the data's."""
from __future__ import annotations

import json
import time

import harness
from chaos.kit import Ctx, case

FINGERPRINT = "checks:\n  - {name: orders-content, kind: fingerprint, collection: ORDERS, fields: [status, total]}\n"
KEY = "Zq7vR2mX9kLp4Tn8Wc3Yb6"


def _changed_with_index(c: Ctx, damage, env_post: dict | None = None, key: str | None = KEY) -> tuple[harness.Run, dict]:
    """A baseline with a document index (its key `key`, else derived from the database password),
    the index (or pre.json) damaged by `damage`, a document deleted, and post-taste: its run and
    the check's evidence in verdict.json."""
    app = c.app()
    app.checks(FINGERPRINT)
    if key:
        app.env["TASTER_EVIDENCE_KEY"] = key
    else:
        app.env.pop("TASTER_EVIDENCE_KEY", None)
    c.baseline()
    objects = app.objects()
    damage(c, app, objects)
    c.admin_db()[app.orders].delete_one({})
    run = c.run("post-taste", env=env_post)
    verdicts = [json.loads(body) for key, body in app.objects().items() if key.endswith("verdict.json")]
    checks = verdicts[0]["checks"] if verdicts else []
    evidence = next((check.get("evidence") or {} for check in checks if check["name"] == "orders-content"), {})
    return run, evidence


def _put(c: Ctx, key: str, body: bytes) -> None:
    harness.s3_client(c.stack).put_object(Bucket=c.stack["TASTER_BUCKET"], Key=key, Body=body)


def _index(objects: dict) -> tuple[str, bytes]:
    return next((key, body) for key, body in objects.items() if key.endswith(".tidx"))


def _judged_by_fingerprint(c: Ctx, run: harness.Run, evidence: dict, *reason: str) -> None:
    unavailable = evidence.get("unavailable") or ""
    c.note(f"post-taste exited {run.returncode}; documents cannot be named: {unavailable[:160]}")
    c.check(evidence.get("lost") is None, "a damaged or foreign index still named documents")
    for words in reason:
        c.check(words in unavailable, f"the verdict does not say {words!r}: {unavailable[:200]!r}")
    c.check("documents cannot be named" in run.stdout, "the table does not say why the documents cannot be named")
    c.failed_closed(run, 1, "documents cannot be named")


def _truncate(c: Ctx, app, objects: dict) -> None:
    key, body = _index(objects)
    _put(c, key, body[: len(body) // 2])


def _flip(c: Ctx, app, objects: dict) -> None:
    key, body = _index(objects)
    _put(c, key, body[:40] + bytes(b ^ 0x5A for b in body[40:52]) + body[52:])


def _older_format(c: Ctx, app, objects: dict) -> None:
    """pre.json says its index is of format 1 (unkeyed SHA-256 digests, an older taster)."""
    key = next(key for key in objects if key.endswith("/pre.json"))
    report = json.loads(objects[key])
    for check in report["snapshot"]["checks"]:
        if check.get("index"):
            check["index"]["format"] = 1
            check["index"].pop("keyID", None)
    c.baseline_damaged_on_purpose = True
    _put(c, key, json.dumps(report).encode())


DAMAGES = [
    ("truncated", _truncate, ("truncated",)),
    ("not matching its checksum", _flip, ("checksum",)),
    ("of format 1 (an older taster)", _older_format, ("older taster",)),
]


def _damaged(damage, reason):
    def run_case(c: Ctx) -> None:
        run, evidence = _changed_with_index(c, damage)
        _judged_by_fingerprint(c, run, evidence, *reason)
    return run_case


for _title, _damage, _reason in DAMAGES:
    case("evidence", f"a document index {_title}", "exit 1 (the data changed), judged by the fingerprint, the reason stated; never a pass")(
        _damaged(_damage, _reason))


@case("evidence", "the evidence key changed between pre-taste and post-taste",
      "exit 1 (the data changed), judged by the fingerprint, 'the evidence key changed' stated; the key nowhere")
def wrong_key(c: Ctx) -> None:
    run, evidence = _changed_with_index(c, lambda *_: None, env_post={"TASTER_EVIDENCE_KEY": "Hd5sG1uQ0oJf6Ae2Vx9Nr4"})
    _judged_by_fingerprint(c, run, evidence, "the evidence key changed")


def _absurd_rounds(c: Ctx, app, objects: dict) -> None:
    """pre.json's evidenceKey asks for 10^15 PBKDF2 rounds: days of CPU, were it obeyed."""
    key = next(key for key in objects if key.endswith("/pre.json"))
    report = json.loads(objects[key])
    c.check((report.get("evidenceKey") or {}).get("rounds") == 600_000, f"pre.json records no salted key: {report.get('evidenceKey')}")
    report["evidenceKey"]["rounds"] = 10**15
    c.baseline_damaged_on_purpose = True
    _put(c, key, json.dumps(report).encode())


@case("evidence", "pre.json's evidenceKey tampered to ask for 10^15 PBKDF2 rounds",
      "exit 1 (the data changed) within seconds, judged by the fingerprint, 'evidenceKey record is damaged' stated; nothing derived")
def tampered_rounds(c: Ctx) -> None:
    started = time.monotonic()
    run, evidence = _changed_with_index(c, _absurd_rounds, key=None)
    c.check(time.monotonic() - started < 90, "post-taste spent minutes: the rounds were obeyed")
    c.check("1000000000000000 rounds" not in run.output, "a key was derived with the tampered rounds")
    _judged_by_fingerprint(c, run, evidence, "evidenceKey record is damaged", "outside 10000–10000000")
