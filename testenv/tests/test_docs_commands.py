"""Every `taster …` that README.md and docs/*.md show — in ```sh blocks and in inline code — is a
command the built binary takes: its subcommand exists and each flag is one that subcommand's
`--help` lists (`taster help …` is run as written). docs/settings.md's flag column is the flag
`taster help settings` names for each variable. The rest of those pages' commands and links are
checked without a build, by testenv/shipping/test_readme.py."""
from __future__ import annotations

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def binary() -> str:
    return os.environ.get("TASTER_BINARY") or str(REPO / ".build" / "debug" / "taster")


def taster(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([binary(), *args], capture_output=True, text=True, timeout=30,
                          env={"PATH": "/usr/bin:/bin", "HOME": "/root"})


def invocations() -> list[tuple[str, list[str]]]:
    """(where, argv after `taster`) for each `taster` command shown: lines of sh blocks, and inline
    code that starts with `taster ` — cut at a pipe or `&&`; placeholders (`<command>`) end it."""
    found = []
    for page in PAGES:
        where = str(page.relative_to(REPO))
        text = page.read_text()
        snippets = []
        for block in re.findall(r"^```(?:sh|bash)\n(.*?)^```", text, re.MULTILINE | re.DOTALL):
            snippets += block.replace("\\\n", " ").splitlines()
        prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
        snippets += re.findall(r"`(taster [^`]+)`", prose)
        for snippet in snippets:
            for command in re.split(r"\s(?:\||&&|;)\s", snippet):
                try:
                    words = shlex.split(command, comments=True)
                except ValueError:
                    continue
                if words[:1] != ["taster"]:
                    continue
                words = words[1:]
                for index, word in enumerate(words):
                    if word.startswith("<") or word in ("…", "..."):
                        words = words[:index]
                        break
                found.append((where, words))
    return found


INVOCATIONS = invocations()


def options_of(help_text: str) -> set[str]:
    return set(re.findall(r"^\s+(?:-\w, )?(--[a-z0-9-]+)", help_text, re.MULTILINE))


def subcommands() -> set[str]:
    """The SUBCOMMANDS of `taster --help` (`taster NAME --help` of an unknown NAME prints the root help)."""
    section = taster("--help").stdout.split("\nSUBCOMMANDS:\n", 1)[1]
    return set(re.findall(r"^  ([a-z][a-z-]+)\s", section, re.MULTILINE))


def test_the_pages_show_taster_commands():
    shown = {tuple(words[:1]) for _, words in INVOCATIONS}
    assert len(INVOCATIONS) >= 10 and {("check",), ("compare",), ("help",)} <= shown, INVOCATIONS


@pytest.mark.parametrize("where,words", INVOCATIONS, ids=lambda value: value if isinstance(value, str) else " ".join(value))
def test_each_taster_command_shown_is_one_the_binary_takes(where, words):
    assert Path(binary()).exists(), f"{binary()} does not exist: build it first (swift build)"
    if words[:1] == ["help"]:
        result = taster(*words)
        assert result.returncode == 0, f"{where}: taster {shlex.join(words)}: {result.stderr}"
        return
    subcommand = [w for w in words[:1] if not w.startswith("-")]
    assert set(subcommand) <= subcommands(), f"{where}: taster {shlex.join(words)}: no subcommand {subcommand[0]}"
    result = taster(*subcommand, "--help")
    assert result.returncode == 0, f"{where}: taster {shlex.join(subcommand)}: {result.stderr}"
    assert f"USAGE: taster {' '.join(subcommand)}".strip() in result.stdout, result.stdout[:200]
    offered = options_of(result.stdout) | {"--help", "-h", "--version"}
    flags = [w.split("=", 1)[0] for w in words if w.startswith("--")]
    unknown = [flag for flag in flags if flag not in offered]
    assert unknown == [], f"{where}: taster {shlex.join(words)}: {unknown} not in `taster {' '.join(subcommand)} --help`"


def test_a_misspelled_command_or_flag_is_caught():
    assert {"pre-taste", "post-taste", "restore", "snapshot", "compare", "check", "await-job"} <= subcommands()
    assert "chek" not in subcommands()
    assert "--show-settings" in options_of(taster("check", "--help").stdout)
    assert "--show-setting" not in options_of(taster("check", "--help").stdout)


def test_settings_flags_are_the_ones_help_settings_names():
    listed = {}
    for names, flag in re.findall(r"^  ([A-Z][A-Z0-9_]+(?:, [A-Z][A-Z0-9_]+)*)(?: \((--[a-z0-9-]+)\))?$",
                                  taster("help", "settings").stdout, re.MULTILINE):
        listed[tuple(names.split(", "))] = flag or None
    documented = {}
    for line in (REPO / "docs" / "settings.md").read_text().splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 6 and cells[1].startswith("`") and cells[1][1:2].isupper():
            names = tuple(re.findall(r"`([A-Z][A-Z0-9_]+)`", cells[1]))
            documented[names] = None if cells[4] == "—" else cells[4].strip("`")
    assert len(documented) > 30
    assert documented == listed
