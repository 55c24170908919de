"""README.md and docs/*.md say only what this repository does (`make test-shipping`).

Every command in their ```sh blocks is checked the way it can be without a cluster or a build:
`make` targets exist in the Makefile (and the variables set before them are read somewhere);
`kubectl apply -k` / `kubectl kustomize` render the repository's folders, in a copy where the
block's own `cd` and `cp` are played; `kubectl create` runs with `--dry-run=client`; `kubectl`
reads (`get`, `logs`, `describe`) name a namespace and Jobs that an overlay renders; scripts and
Python entry points exist and take the flags given; `swift test --filter` matches a test;
`taster` subcommands exist (their flags are checked against the built binary's `--help` by
testenv/tests/test_docs_commands.py). A command no check covers fails the test unless its block
is marked, on the line before it, with `<!-- not run: why -->`. Every `make …` named in the text
is a target; every relative link and anchor resolves; every docs/ page is linked from README.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
KUBECTL = os.path.abspath(os.environ.get("KUBECTL") or ROOT / ".venv" / "bin" / "kubectl")
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOT_RUN = re.compile(r"^<!--\s*not run:\s*(\S.*?)\s*-->$")
FENCE = re.compile(r"^```(\S*)\s*$")
# Files a command makes for a later one in its block: what `. FILE` may read, and who makes it.
PRODUCED = {"testenv/.run/stack.env": ("make", "stack-up")}
SEPARATORS = {"&&", "||", ";", "|"}


def name(path: Path) -> str:
    return str(path.relative_to(ROOT)) if ROOT in path.parents else str(path)


@dataclasses.dataclass
class Block:
    page: Path
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    not_run: str | None  # the reason, when marked

    @property
    def where(self) -> str:
        return f"{name(self.page)}:{self.line}"


def blocks(page: Path) -> list[Block]:
    found, lines = [], page.read_text().splitlines()
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and lines[index].strip() != "```":
            index += 1
        previous = next((lines[i].strip() for i in range(start - 1, -1, -1) if lines[i].strip()), "")
        marker = NOT_RUN.match(previous)
        found.append(Block(page, start + 1, match[1], "\n".join(lines[start + 1:index]) + "\n",
                           marker[1] if marker else None))
        index += 1
    return found


def prose(page: Path) -> str:
    """The page without its fenced blocks and HTML comments (where links and `make` mentions count)."""
    text = re.sub(r"^```.*?^```\s*$", "", page.read_text(), flags=re.MULTILINE | re.DOTALL)
    return re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)


def commands(block: Block) -> list[list[str]]:
    """The block's commands as argument lists: continuation lines joined, comments dropped, split at
    `&&`, `||`, `;` and `|`."""
    found: list[list[str]] = []
    current: list[str] = []
    for line in block.text.replace("\\\n", " ").splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|")
        lexer.whitespace_split = True
        for token in lexer:
            if token in SEPARATORS:
                if current:
                    found.append(current)
                current = []
            else:
                current.append(token)
        if current:
            found.append(current)
        current = []
    return found


SH_BLOCKS = [b for page in PAGES for b in blocks(page) if b.language in ("sh", "bash", "shell", "console")]


# -- what the repository offers -----------------------------------------------------------------

def make_targets() -> set[str]:
    targets = set()
    for line in (ROOT / "Makefile").read_text().splitlines():
        match = re.match(r"^([A-Za-z0-9_.%/-]+(?:[ \t]+[A-Za-z0-9_.%/-]+)*)[ \t]*:(?!=)", line)
        if match and not line.startswith((" ", "\t")):
            targets.update(match[1].split())
    return targets - {".PHONY"}


MAKE_TARGETS = make_targets()


def taster_subcommands() -> set[str]:
    found = set()
    for source in (ROOT / "Sources" / "taster").glob("*.swift"):
        found.update(re.findall(r'commandName:\s*"([a-z-]+)"', source.read_text()))
    return found - {"taster"} | {"help"}


def read_in_repository(variable: str) -> bool:
    """A variable set before a command is read by something other than the docs themselves."""
    result = subprocess.run(["git", "grep", "-q", "-w", variable, "--", ".", ":!README.md", ":!docs",
                             ":!testenv/shipping/test_readme.py"],
                            cwd=ROOT, capture_output=True, text=True)
    return result.returncode == 0


def kubectl(*arguments: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "KUBECONFIG": os.devnull}
    return subprocess.run([KUBECTL, *arguments], cwd=cwd, capture_output=True, text=True, env=env)


def render(folder: Path) -> list[dict]:
    assert folder.is_dir(), f"{folder}: no such folder"
    result = kubectl("kustomize", str(folder), cwd=folder)
    assert result.returncode == 0, f"kubectl kustomize {folder} failed:\n{result.stderr}"
    return [d for d in yaml.safe_load_all(result.stdout) if d]


def overlay_objects() -> list[dict]:
    """Every object the app overlays render (what a cluster holds after their syncs)."""
    objects = []
    for overlay in sorted((ROOT / "kustomize" / "overlays").iterdir()):
        if (overlay / "kustomization.yaml").exists():
            objects += render(overlay)
    return objects


# -- playing a block ----------------------------------------------------------------------------

class Player:
    """Checks one block's commands in order, in a copy of the repository where `cd` and `cp` act."""

    def __init__(self, sandbox: Path, objects: list[dict]):
        self.root = sandbox
        self.cwd = sandbox
        self.objects = objects
        self.rendered: list[dict] = []
        self.ran: list[tuple[str, ...]] = []

    def path(self, argument: str) -> Path:
        return (self.cwd / argument).resolve()

    def play(self, argv: list[str]) -> None:
        variables = []
        while argv and re.match(r"^[A-Z_][A-Z0-9_]*=", argv[0]):
            variables.append(argv.pop(0).split("=", 1)[0])
        for variable in variables:
            assert read_in_repository(variable), f"{variable} is set for `{shlex.join(argv)}` but nothing reads it"
        assert argv, "a line of only variable assignments"
        program = argv[0]
        handler = {"make": self.make, "cd": self.cd, "cp": self.cp, "kubectl": self.kubectl, "swift": self.swift,
                   "set": self.set, ".": self.source, "source": self.source, "taster": self.taster}.get(program)
        if handler is None and ("/" in program):
            handler = self.program
        assert handler, (f"no check for `{program}`: teach testenv/shipping/test_readme.py to check it, or mark "
                         f"the block with <!-- not run: why --> on the line before it")
        handler(argv)
        self.ran.append(tuple(argv))

    def make(self, argv: list[str]) -> None:
        targets = [a for a in argv[1:] if not a.startswith("-") and "=" not in a]
        assert targets, "`make` without a target: name the one meant"
        for target in targets:
            assert target in MAKE_TARGETS, f"make {target}: no such target in the Makefile"

    def cd(self, argv: list[str]) -> None:
        target = self.path(argv[1])
        assert target.is_dir(), f"cd {argv[1]}: no such folder"
        self.cwd = target

    def cp(self, argv: list[str]) -> None:
        source, target = self.path(argv[-2]), self.path(argv[-1])
        assert source.exists(), f"cp: {argv[-2]} does not exist in {self.cwd.relative_to(self.root)}"
        assert self.root in target.parents, f"cp writes outside the repository: {argv[-1]}"
        shutil.copy(source, target)

    def set(self, argv: list[str]) -> None:
        assert argv[1:] in (["-a"], ["+a"], ["-e"], ["-u"], ["-x"]), f"set {argv[1:]}"

    def source(self, argv: list[str]) -> None:
        relative = os.path.normpath(os.path.relpath(self.cwd / argv[1], self.root))
        if relative in PRODUCED:
            assert PRODUCED[relative] in {tuple(r[:2]) for r in self.ran}, \
                f". {argv[1]}: made by `{' '.join(PRODUCED[relative])}`, which the block does not run first"
        else:
            assert self.path(argv[1]).is_file(), f". {argv[1]}: no such file"

    def swift(self, argv: list[str]) -> None:
        assert argv[1] in ("build", "test"), f"swift {argv[1]}"
        if "--filter" in argv:
            pattern = argv[argv.index("--filter") + 1]
            tests = "\n".join(p.read_text() for p in (ROOT / "Tests").rglob("*.swift"))
            assert re.search(pattern, tests), f"swift test --filter {pattern}: matches no test"

    def program(self, argv: list[str]) -> None:
        """A script of the repository, or its venv's Python running one: it exists and takes the flags."""
        program = self.path(argv[0])
        assert program.exists(), f"{argv[0]} does not exist"
        assert os.access(program, os.X_OK), f"{argv[0]} is not executable"
        arguments = argv[1:]
        if program.name.startswith("python"):
            if arguments[:2] == ["-m", "pytest"]:
                for argument in arguments[2:]:
                    if not argument.startswith("-"):
                        assert self.path(argument.split("::")[0]).exists(), f"pytest {argument}: no such test"
                return
            script = self.path(arguments[0])
            assert script.exists(), f"{arguments[0]} does not exist"
            what, source, arguments = arguments[0], script.read_text(), arguments[1:]
        else:
            what, source = argv[0], program.read_text()
        for flag in (a.split("=", 1)[0] for a in arguments if a.startswith("-")):
            assert re.search(rf"""["']{re.escape(flag)}["']""", source), f"{what} takes no {flag}"

    def taster(self, argv: list[str]) -> None:
        words = [a for a in argv[1:] if not a.startswith("-")]
        if words:
            assert words[0] in taster_subcommands(), f"taster {words[0]}: no such subcommand"

    def kubectl(self, argv: list[str]) -> None:
        namespace, rest, index = None, [], 1
        while index < len(argv):
            if argv[index] in ("-n", "--namespace"):
                namespace = argv[index + 1]
                index += 2
                continue
            rest.append(argv[index])
            index += 1
        verb = rest[0]
        if verb in ("apply", "kustomize"):
            assert verb == "kustomize" or "-k" in rest, f"kubectl {shlex.join(rest)}: only `apply -k` is checked"
            folder = rest[rest.index("-k") + 1] if verb == "apply" else rest[1]
            rendered = render(self.path(folder))
            assert rendered, f"kubectl {verb} {folder} renders nothing"
            self.rendered += rendered
        elif verb == "create":
            result = kubectl(*argv[1:], "--dry-run=client", "-o", "yaml", cwd=self.cwd)
            assert result.returncode == 0, f"{shlex.join(argv)} --dry-run=client:\n{result.stderr}"
            created = yaml.safe_load(result.stdout)
            role = created.get("roleRef", {}).get("name")
            if role:
                known = {(d["kind"], d["metadata"]["name"]) for d in self.rendered + self.objects}
                assert (created["roleRef"]["kind"], role) in known, f"{shlex.join(argv)}: no {created['roleRef']['kind']} {role} is rendered"
        elif verb in ("get", "logs", "describe"):
            assert namespace, f"kubectl {verb} without -n: name the app's namespace"
            here = [d for d in self.objects if d["metadata"].get("namespace") == namespace]
            assert here, f"kubectl -n {namespace}: no overlay renders into namespace {namespace}"
            jobs = {d["metadata"]["name"] for d in here if d["kind"] == "Job"}
            named = re.findall(r"(?:job/|job-name=)([a-z0-9-]+)", " ".join(rest))
            for job in named:
                assert job in jobs, f"kubectl -n {namespace} … {job}: no Job {job} in namespace {namespace} (there are {sorted(jobs)})"
        else:
            raise AssertionError(f"kubectl {verb}: not checked; teach test_readme.py or mark the block")


def make_sandbox(root: Path) -> Path:
    """The repository as a block sees it: hooks/ and kustomize/ copied (a block's `cp` writes
    there), everything else linked."""
    for entry in ROOT.iterdir():
        if entry.name in ("hooks", "kustomize"):
            shutil.copytree(entry, root / entry.name, ignore=shutil.ignore_patterns("taster.env"))
        elif entry.name != ".git":
            (root / entry.name).symlink_to(entry)
    return root


@pytest.fixture(scope="session")
def sandbox(tmp_path_factory) -> Path:
    return make_sandbox(tmp_path_factory.mktemp("repository"))


@pytest.fixture(scope="session")
def objects() -> list[dict]:
    return overlay_objects()


def play(block: Block, sandbox: Path, objects: list[dict]) -> None:
    player = Player(sandbox, objects)
    for argv in commands(block):
        try:
            player.play(list(argv))
        except AssertionError as error:
            raise AssertionError(f"{block.where}: `{shlex.join(argv)}`: {error}") from None


@pytest.mark.parametrize("block", SH_BLOCKS, ids=lambda b: b.where)
def test_each_command_is_run_or_checked(block, sandbox, objects):
    if block.not_run:
        pytest.skip(f"marked not run: {block.not_run}")
    play(block, sandbox, objects)


def test_the_docs_have_commands_and_few_exceptions():
    assert len(SH_BLOCKS) >= 8, [b.where for b in SH_BLOCKS]
    marked = [b for b in SH_BLOCKS if b.not_run]
    assert len(marked) <= 3, f"more blocks are exempt than checked ones warrant: {[b.where for b in marked]}"


def test_the_check_finds_a_broken_command(tmp_path, objects):
    """The checks above fail on the mistakes they are for (in a sandbox of its own: no block has
    made credentials/taster.env there)."""
    sandbox = make_sandbox(tmp_path)
    broken = [
        "make no-such-target",
        "NO_SUCH_VARIABLE_ANYWHERE=1 make test",
        "kubectl apply -k kustomize/overlays/no-such-app/argocd",
        "cd kustomize/overlays/pxbbq-stage/credentials && kubectl apply -k .",  # taster.env not made
        "kubectl -n pxbbq logs job/no-such-job",
        "kubectl -n no-such-namespace get jobs",
        "kubectl -n pxbbq create rolebinding x --role=no-such-role --serviceaccount=ci:pipeline",
        "swift test --filter NoSuchTestAnywhere",
        ".venv/bin/python testenv/chaos/campaign.py --no-such-flag",
        ". testenv/.run/stack.env",
        "taster no-such-command",
        "docker build .",
    ]
    for text in broken:
        block = Block(ROOT / "README.md", 0, "sh", text + "\n", None)
        with pytest.raises(AssertionError) as caught:
            play(block, sandbox, objects)
        print(caught.value)


# -- make targets in the text, links, anchors ---------------------------------------------------

def test_every_make_target_named_in_the_text_exists():
    for page in PAGES:
        for mention in re.findall(r"`(?:[A-Z_][A-Z0-9_]*=\S+ )*make ([^`]+)`", prose(page)):
            for target in mention.split():
                if target in SEPARATORS:
                    break
                if not target.startswith("-") and "=" not in target:
                    assert target in MAKE_TARGETS, f"{name(page)}: `make {mention}`: no target {target}"


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    found, seen = set(), {}
    for heading in re.findall(r"^#{1,6} (.+)$", prose(page), re.MULTILINE):
        base = slug(heading)
        count = seen.get(base, 0)
        found.add(base if count == 0 else f"{base}-{count}")
        seen[base] = count + 1
    return found


def links(page: Path) -> list[str]:
    text = re.sub(r"`[^`\n]*`", "", prose(page))
    return re.findall(r"!?\[[^\]]*\]\(([^)\s]+)\)", text)


@pytest.mark.parametrize("page", PAGES, ids=name)
def test_every_relative_link_resolves(page):
    problems = []
    for target in links(page):
        if re.match(r"^[a-z][a-z0-9+.-]*:", target):
            continue  # https:, mailto:
        path, _, anchor = target.partition("#")
        file = (page.parent / path).resolve() if path else page
        if not file.exists():
            problems.append(f"{target}: {path} does not exist")
        elif anchor and file.suffix == ".md" and anchor not in anchors(file):
            problems.append(f"{target}: no heading #{anchor} in {name(file)}")
    assert problems == [], f"{name(page)}: " + "; ".join(problems)


def test_links_are_checked_and_catch_a_broken_one(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# A `b`: c's d\n\n[ok](#a-b-cs-d) [gone](missing.md) [bad](#nowhere)\n")
    assert anchors(page) == {"a-b-cs-d"}
    assert links(page) == ["#a-b-cs-d", "missing.md", "#nowhere"]
    with pytest.raises(AssertionError, match="missing.md does not exist.*no heading #nowhere"):
        test_every_relative_link_resolves(page)


def test_readme_links_every_docs_page():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in links(ROOT / "README.md")}
    missing = [name(page) for page in PAGES[1:] if page.resolve() not in linked]
    assert missing == [], f"docs pages README does not link: {missing}"


def test_the_kustomize_version_named_is_the_one_that_renders():
    version = json.loads(kubectl("version", "--client", "-o", "json", cwd=ROOT).stdout)
    kustomize = version["kustomizeVersion"]
    kubectl_minor = f"{version['clientVersion']['major']}.{version['clientVersion']['minor']}"
    named = [(name(page), m) for page in PAGES for m in re.findall(r"kustomize (v\d+\.\d+\.\d+)", page.read_text())]
    assert named, "README or docs name the kustomize version make test renders with"
    assert all(m == kustomize for _, m in named), f"kubectl here bundles kustomize {kustomize}: {named}"
    for page in PAGES:
        for minor in re.findall(r"kustomize v[\d.]+ \(kubectl (\d+\.\d+)\)", page.read_text()):
            assert minor == kubectl_minor, f"{name(page)}: kubectl {minor}, here {kubectl_minor}"
