"""`make demo`, the first command README gives a newcomer, for both engines: scripts/demo.sh on a
stack of its own (as `make demo` runs it), round 1 passing and round 2 failing the sync and naming
what the migration lost."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize("db", ["mongo", "postgres"])
def test_make_demo_plays_both_rounds(db, tmp_path):
    # A clean environment, as a newcomer's shell has: the demo starts and stops its own stack.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TESTENV_", "AWS_", "MONGODB_", "TASTER_", "KUBE", "PG", "DATABASE_"))}
    env.update(DEMO_DB=db, DEMO_OUT=str(tmp_path / "out"), TESTENV_RUN=str(tmp_path / "run"))
    demo = subprocess.run(["scripts/with-stack.sh", "scripts/demo.sh"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=600)
    assert demo.returncode == 0, demo.stdout[-4000:] + demo.stderr[-4000:]
    assert "round 1 passed, round 2 failed the sync as it should (exit codes 0 and 1)" in demo.stdout
    verdict = json.loads((tmp_path / "out" / "verdict.json").read_text())
    assert verdict["result"] == "fail"
    failed = {check["name"] for check in verdict["checks"] if check["result"] == "fail"}
    assert "paid-orders" in failed, failed
    if db == "mongo":
        # The 3 paid orders lost are named by _id, and the unique index nobody listed is caught.
        paid = next(check for check in verdict["checks"] if check["name"] == "paid-orders")
        assert paid["evidence"]["lost"]["count"] == 3
        assert any(row["subject"] == "index registrations.email_1" and row["result"] == "fail" for row in verdict["structure"])
    else:
        # The same by primary key, and the unique constraint nobody listed, from pg_catalog.
        paid = next(check for check in verdict["checks"] if check["name"] == "paid-orders")
        assert paid["evidence"]["lost"]["count"] == 3
        assert all(doc["_id"].startswith('{"$numberLong":') for doc in paid["evidence"]["lost"]["first"])
        subjects = {row["subject"]: row["result"] for row in verdict["structure"]}
        assert subjects.get("constraint public.registrations.registrations_email_key") == "fail", subjects
