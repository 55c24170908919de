"""Checks that guard nothing, through the real binary on the local stack: a check whose
collection does not exist is refused by pre-taste (exit 2) unless it says `allowMissing: true`,
a measured field that no document holds is warned about in the log, the reports, the verdict
and the page, and `taster check` fails on both (exit 3)."""
from __future__ import annotations

import json


def stored(app, name: str) -> dict:
    found = [json.loads(body) for key, body in app.objects().items() if key.endswith("/" + name)]
    assert len(found) == 1, sorted(app.objects())
    return found[0]


def test_pre_taste_refuses_a_check_whose_collection_does_not_exist(app):
    misspelled = app.orders.name.replace("orders", "ordres")
    app.checks(f"checks:\n  - name: paid\n    kind: count\n    collection: {misspelled}\n    filter: {{status: paid}}\n")
    pre = app.run("pre-taste")
    assert pre.returncode == 2, pre
    for words in ('check "paid"', misspelled, "does not exist", "allowMissing: true", f"did you mean {app.orders.name}"):
        assert words in pre.stderr, (words, pre.stderr)
    assert pre.termination_log.startswith("taster: ERROR pre-taste (exit 2)"), pre
    assert app.run_keys() == [], "no baseline and no pointer for a check that guards nothing"
    assert app.replicas() == {"mongo": 0, "pxbbq-web": 0}, "what pre-taste scaled is put back"
    # `taster check` says the same beforehand, and fails.
    check = app.run("check")
    assert check.returncode == 3, check
    assert f"read pxbbq.{misspelled}" in check.stdout and "FAIL" in check.stdout, check


def test_a_taster_collections_entry_that_does_not_exist_is_refused(app):
    pre = app.run("pre-taste", env={"TASTER_COLLECTIONS": f"{app.orders.name},{app.name}-registratons"})
    assert pre.returncode == 2, pre
    assert "TASTER_COLLECTIONS" in pre.stderr and f"{app.name}-registratons" in pre.stderr, pre
    assert app.run_keys() == []


def test_allow_missing_passes_absent_on_both_sides_but_not_a_collection_that_vanished(app):
    later = app.db[f"{app.name}-later"]
    app.checks("checks:\n"
               f"  - name: later\n    kind: count\n    collection: {later.name}\n    allowMissing: true\n"
               f"  - name: {app.registrations.name}\n    kind: count\n    collection: {app.registrations.name}\n    allowMissing: true\n")
    assert app.run("pre-taste").returncode == 0
    app.db.drop_collection(app.registrations.name)
    post = app.run("post-taste")
    assert post.returncode == 1, post
    checks = {c["name"]: c for c in app.verdict()["checks"]}
    assert checks["later"]["result"] == "pass", checks["later"]
    assert checks[app.registrations.name]["result"] == "fail" and "vanished" in checks[app.registrations.name]["reason"]
    pre_report = stored(app, "pre.json")
    assert [c.get("allowMissing") for c in pre_report["snapshot"]["checks"]] == [None, True, True], \
        "allowMissing is recorded (only when true)"


def test_a_field_no_document_holds_is_warned_about_everywhere(app):
    app.checks("checks:\n"
               "  - name: revenue\n    kind: sum\n    collection: ORDERS\n    field: totl\n"
               "  - name: content\n    kind: fingerprint\n    collection: ORDERS\n    fields: [status, totl]\n"
               "  - name: real-revenue\n    kind: sum\n    collection: ORDERS\n    field: total\n")
    pre = app.run("pre-taste")
    assert pre.returncode == 0, pre
    assert 'check "revenue" (#1): field totl is absent from every document' in pre.stderr, pre.stderr
    assert 'check "content" (#2): field totl is absent' in pre.stderr
    assert "real-revenue" not in pre.stderr.split("snapshot taken")[0], "a field the documents have is not warned about"
    assert "WARNING: 2 checks guard nothing" in pre.termination_log, pre
    pre_report = stored(app, "pre.json")
    absent = {c["name"]: c.get("absentFields") for c in pre_report["snapshot"]["checks"]}
    assert absent == {app.orders.name: None, app.registrations.name: None, "revenue": ["totl"], "content": ["totl"],
                      "real-revenue": None}, absent
    assert len(pre_report["warnings"]) == 2 and "guards nothing" in pre_report["warnings"][0]

    post = app.run("post-taste")
    assert post.returncode == 0, post
    assert 'WARNING: check "revenue": field totl is absent' in post.stdout, post.stdout
    assert "WARNING: 2 checks guard nothing (revenue, content" in post.termination_log, post
    verdict = app.verdict()
    warnings = {c["name"]: c.get("warning") for c in verdict["checks"]}
    assert "in the baseline and after the sync" in warnings["revenue"] and warnings["real-revenue"] is None, warnings
    assert "guard nothing" in verdict["summary"]
    page = next(body for key, body in app.objects().items() if key.endswith("verdict.html")).decode()
    assert 'id="warnings"' in page and "field totl is absent" in page
    assert stored(app, "post.json")["warnings"], "post.json carries the warning too"


def test_check_fails_on_a_field_no_document_holds(app):
    app.checks("checks:\n"
               "  - name: revenue\n    kind: sum\n    collection: ORDERS\n    field: totl\n"
               "  - name: customers\n    kind: distinct-count\n    collection: ORDERS\n    field: status\n")
    check = app.run("check")
    assert check.returncode == 3, check
    lines = {line.split()[2]: line for line in check.stdout.splitlines() if line.startswith("MongoDB     check ")}
    assert "FAIL" in lines['"revenue"'] and "totl" in lines['"revenue"'], check.stdout
    assert "OK" in lines['"customers"'], check.stdout
