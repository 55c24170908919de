"""`taster compare` with a checks file (`--checks`, `TASTER_CHECKS`), through the real binary on
reports a real run stored: the file's rules and severities judge the recorded values, the output
says which rules differ from the recorded ones, and no MongoDB setting is needed."""
from __future__ import annotations

import json

import harness


def compare(app, *args, **overrides):
    """`taster compare` with the app's settings minus every MongoDB one, plus `overrides`."""
    env = {k: v for k, v in app.env.items() if k not in ("MONGODB_URI", "TASTER_DATABASE", "TASTER_COLLECTIONS", "TASTER_CHECKS")}
    env.update(overrides)
    result = harness.run(["compare", *args], env, tmp=app.tmp)
    app.runs.append(result)
    return result


def stored_reports(app, tmp_path):
    """The run's pre.json and post.json as local files."""
    paths = []
    for name in ("pre.json", "post.json"):
        body = next(body for key, body in app.objects().items() if key.endswith("/" + name))
        path = tmp_path / name
        path.write_bytes(body)
        paths.append(str(path))
    return paths


def test_compare_applies_the_checks_file_rules_and_says_which_differ(app, tmp_path):
    assert app.run("pre-taste").returncode == 0
    app.orders.delete_one({"n": 3})
    assert app.run("post-taste").returncode == 1, "rule equal, as recorded"
    pre, post = stored_reports(app, tmp_path)
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: {app.orders.name}\n    rule: no-increase\n")

    recorded = compare(app, pre, post)
    assert recorded.returncode == 1, recorded

    tuned = compare(app, pre, post, "--checks", str(rules))
    assert tuned.returncode == 0, tuned
    assert f"NOTE: rules from checks file {rules}: {app.orders.name}: rule equal → no-increase" in tuned.stdout, tuned.stdout
    assert f"NOTE: checks the file does not name keep the rules recorded in the reports: {app.registrations.name}" in tuned.stdout
    assert "rules from checks file" in tuned.stderr, "the log says so too"
    assert "PASS" in tuned.stdout and "no-increase" in tuned.stdout

    from_env = compare(app, pre, post, "--output", "json", TASTER_CHECKS=str(rules))
    assert from_env.returncode == 0, from_env
    verdict = json.loads(from_env.stdout)
    assert verdict["result"] == "pass" and verdict["checks"][0]["rule"] == "no-increase"
    assert any("rule equal → no-increase" in note for note in verdict["notes"]), verdict

    warn = tmp_path / "warn.yaml"
    warn.write_text(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: {app.orders.name}\n    severity: warn\n")
    warned = compare(app, pre, post, "--checks", str(warn))
    assert warned.returncode == 0, warned
    assert "WARN: 1 fewer, rule equal" in warned.stdout and "severity fail → warn" in warned.stdout, warned.stdout


def test_compare_refuses_a_checks_file_that_measures_something_else(app, tmp_path):
    assert app.run("pre-taste").returncode == 0
    assert app.run("post-taste").returncode == 0
    pre, post = stored_reports(app, tmp_path)
    other = tmp_path / "other.yaml"
    other.write_text(f"checks:\n  - name: {app.orders.name}\n    kind: count\n    collection: {app.orders.name}\n"
                     "    filter: {status: paid}\n")
    refused = compare(app, pre, post, "--checks", str(other))
    assert refused.returncode == 2, refused
    assert f'checks file {other}, check "{app.orders.name}": measures another filter than in the reports' in refused.stderr, refused
