"""Help through the real binary: each command's --help lists the exit codes that command ends with
(await-job's 1 is a failed Job, not changed data) and only the flags it uses, no default is
printed twice, and `taster help settings` lists every variable docs/settings.md's tables list.
TASTER_MAX_BASELINE_AGE works like every other setting."""
from __future__ import annotations

import re
import subprocess
import time

import pytest

import harness

SETTINGS = harness.REPO / "docs" / "settings.md"

EXIT_CODES = {
    "pre-taste": [0, 2, 3, 130, 143],
    "post-taste": [0, 1, 2, 3, 4, 130, 143],
    "restore": [0, 2, 3, 4, 130, 143],
    "snapshot": [0, 2, 3, 130, 143],
    "compare": [0, 1, 2, 3, 4, 130, 143],
    "check": [0, 2, 3, 130, 143],
    "await-job": [0, 1, 2, 3, 130, 143],
}

MONGO = ["--database", "--collections", "--mongo-wait"]
STORE = ["--bucket", "--prefix", "--app"]
S3 = ["--s3-endpoint", "--region"]
WORKLOADS = ["--workloads", "--ready-timeout"]
KUBE = ["--namespace", "--context"]
RUN = ["--deadline", "--log-format"]

# (flags the command takes, flags it must not offer)
FLAGS = {
    "pre-taste": (MONGO + ["--checks"] + STORE + S3 + KUBE + WORKLOADS + RUN + ["--run-id"], ["--max-baseline-age"]),
    "post-taste": (MONGO + ["--checks"] + STORE + S3 + KUBE + WORKLOADS + RUN + ["--run-id", "--max-baseline-age"], []),
    "restore": (STORE + S3 + KUBE + RUN + ["--run-id"], MONGO + ["--checks"] + WORKLOADS + ["--max-baseline-age"]),
    "snapshot": (MONGO + ["--checks"] + RUN, STORE + S3 + KUBE + WORKLOADS + ["--run-id"]),
    "compare": (["--checks"] + S3 + RUN + ["--report-only", "--html"], MONGO + STORE + KUBE + WORKLOADS + ["--run-id"]),
    "check": (MONGO + ["--checks"] + STORE + S3 + KUBE + WORKLOADS + RUN + ["--show-settings"], ["--run-id"]),
    "await-job": (KUBE + ["--log-format", "--timeout"], MONGO + ["--checks"] + STORE + S3 + WORKLOADS + ["--deadline"]),
}


def taster(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(harness.binary()), *args], capture_output=True, text=True, timeout=30,
                          env=env or {"PATH": "/usr/bin:/bin", "HOME": "/root"})


def help_of(command: str) -> str:
    result = taster(command, "--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


def exit_codes(text: str) -> dict[int, str]:
    block = text.split("Exit codes:\n", 1)[1].split("\n\n", 1)[0]
    codes: dict[int, str] = {}
    for line in block.splitlines():
        match = re.match(r"  (\d+)\s+(.*)", line)
        if match:
            codes[int(match[1])] = match[2]
        else:
            last = list(codes)[-1]
            codes[last] += " " + line.strip()
    return codes


def option_helps(text: str) -> dict[str, str]:
    """Each `--flag` of the help's option sections, with its whole help text."""
    options: dict[str, str] = {}
    current = None
    for line in text.split("\nUSAGE:", 1)[1].splitlines():
        match = re.match(r"  (--[a-z0-9-]+)", line)
        if match:
            current = match[1]
            options[current] = line
        elif current and line.startswith("    "):
            options[current] += " " + line.strip()
        else:
            current = None
    return {flag: re.sub(r"\s+", " ", help_) for flag, help_ in options.items()}


@pytest.mark.parametrize("command", list(EXIT_CODES))
def test_each_command_lists_its_own_exit_codes(command):
    codes = exit_codes(help_of(command))
    assert sorted(codes) == EXIT_CODES[command], codes
    if command == "await-job":
        assert "the Job failed" in codes[1] and "data" not in codes[1]
        assert "the Job succeeded" in codes[0]
    if 1 in codes and command != "await-job":
        assert "data changed" in codes[1]


def test_the_root_help_lists_every_code_and_where_settings_are():
    text = taster("--help").stdout
    codes = exit_codes(text)
    assert sorted(codes) == [0, 1, 2, 3, 4, 130, 143]
    assert "await-job: the Job failed" in codes[1]
    assert "taster help settings" in text and "README.md lists" not in text


@pytest.mark.parametrize("command", list(FLAGS))
def test_each_command_offers_only_the_flags_it_uses(command):
    options = option_helps(help_of(command))
    takes, lacks = FLAGS[command]
    assert [flag for flag in takes if flag not in options] == [], options.keys()
    assert [flag for flag in lacks if flag in options] == [], options.keys()


@pytest.mark.parametrize("command", list(FLAGS))
def test_no_default_is_printed_twice(command):
    for flag, text in option_helps(help_of(command)).items():
        assert len(re.findall(r"\bdefault\b", text)) <= 1, f"{command} {flag}: {text}"


def readme_variables() -> list[str]:
    names: list[str] = []
    in_table = False
    for line in SETTINGS.read_text().splitlines():
        if line.startswith("| variable | default | meaning |"):
            in_table = True
            continue
        if not (in_table and line.startswith("|")):
            in_table = False
            continue
        names += re.findall(r"`([A-Z][A-Z0-9_]+)`", line.split("|")[1])
    return names


def test_help_settings_lists_every_variable_readme_lists():
    result = taster("help", "settings")
    assert result.returncode == 0, result.stderr
    listed = re.findall(r"^  ([A-Z][A-Z0-9_]+(?:, [A-Z][A-Z0-9_]+)*)", result.stdout, re.MULTILINE)
    listed = [name for group in listed for name in group.split(", ")]
    documented = readme_variables()
    assert len(documented) > 30
    assert sorted(listed) == sorted(documented)
    assert "TASTER_MAX_BASELINE_AGE (--max-baseline-age)" in result.stdout
    assert all(len(line) <= 80 for line in result.stdout.splitlines())


def test_max_baseline_age_is_a_setting(app):
    """TASTER_MAX_BASELINE_AGE: shown by --show-settings, validated before anything is touched
    (exit 2), and a stale baseline is refused (exit 4) as with the flag."""
    shown = app.run("check", "--show-settings", env={"TASTER_MAX_BASELINE_AGE": "90m"})
    assert shown.returncode == 0, shown
    assert re.search(r"^max-baseline-age\s+1h30m\s+TASTER_MAX_BASELINE_AGE\s*$", shown.stdout, re.MULTILINE), shown.stdout

    before = app.control.mark()
    bad = app.run("post-taste", env={"TASTER_MAX_BASELINE_AGE": "soon"})
    assert bad.returncode == 2 and "TASTER_MAX_BASELINE_AGE" in bad.stderr, bad
    flagged = app.run("post-taste", "--max-baseline-age", "0s")
    assert flagged.returncode == 2 and "--max-baseline-age" in flagged.stderr, flagged
    assert app.control.requests(since=before, namespace=app.name) == [], "nothing touched"

    assert app.run("pre-taste").returncode == 0
    time.sleep(2.1)
    stale = app.run("post-taste", env={"TASTER_MAX_BASELINE_AGE": "2s"})
    assert stale.returncode == 4, stale
    assert "ago" in stale.stderr and "run pre-taste again" in stale.stderr
    assert app.run("restore").returncode == 0
