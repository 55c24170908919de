"""Runs the real `taster` binary against the local stack, for end-to-end tests and the
reliability campaign: every run's stdout, stderr, termination message and the objects it
uploaded can be scanned for every secret in its environment."""
from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import signal
import subprocess
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def binary() -> Path:
    """The taster binary under test: $TASTER_BINARY, else the debug build."""
    path = Path(os.environ.get("TASTER_BINARY") or REPO / ".build" / "debug" / "taster")
    if not path.exists():
        raise RuntimeError(f"{path} does not exist: build it first (swift build)")
    return path


@dataclasses.dataclass
class Run:
    args: list[str]
    env: dict[str, str]
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    termination_log: str
    # Seconds after the start when the signal was sent (runs with signal_after/signal_when).
    signalled: float | None = None
    # The run's peak resident memory in kB (getrusage of the reaped child; None through a `prefix`
    # wrapper, whose memory it would be).
    peak_rss_kb: int | None = None
    pid: int | None = None

    @property
    def output(self) -> str:
        return self.stdout + self.stderr + self.termination_log

    def __str__(self) -> str:  # what a failing assertion shows
        return (f"taster {' '.join(self.args)} -> exit {self.returncode} in {self.seconds:.1f}s\n"
                f"--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}\n--- termination log\n{self.termination_log}")


def base_env(stack: dict[str, str], **overrides: str | None) -> dict[str, str]:
    """The stack's connection settings plus overrides (None removes a variable). Nothing else from
    the caller's environment leaks in except PATH and HOME."""
    env = {k: v for k, v in stack.items() if k in (
        "MONGODB_URI", "TASTER_DATABASE", "AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
        "AWS_REGION", "TASTER_BUCKET", "KUBECONFIG")}
    env["PATH"] = os.environ.get("PATH", "/usr/bin:/bin")
    env["HOME"] = os.environ.get("HOME", "/root")
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run(args: list[str], env: dict[str, str], *, timeout: float = 120, tmp: Path | None = None,
        signal_after: float | None = None, signal_when: str | None = None, sig: int = signal.SIGTERM,
        prefix: list[str] = (), on_line: dict | None = None) -> Run:
    """Runs taster with exactly `env`. With `signal_after` (seconds) or `signal_when` (a text in
    stderr), sends `sig` then, and waits for the exit. `on_line` maps a text to a function called
    (once, in a thread of its own) when a line of stderr first contains it — to break something at
    a given step. `prefix` runs taster through a wrapper (`faketime -f +20m`,
    `/usr/bin/time -f %M -o FILE`), which must pass signals and the exit status on."""
    env = dict(env)
    termination = None
    if tmp is not None:
        termination = tmp / f"termination-{time.monotonic_ns()}.log"
        termination.write_text("")
        env["TASTER_TERMINATION_LOG"] = str(termination)
    start = time.monotonic()
    process = subprocess.Popen([*prefix, str(binary()), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    stdout, stderr, signalled, usage = _watched(process, args, timeout, signal_after, signal_when, sig, on_line or {})
    seconds = time.monotonic() - start
    # libmongoc creates /dev/shm/mongoc-<pid> when loaded and removes it only in mongoc_cleanup,
    # which a run ending in _exit never reaches: taster removes the name at start, or every run leaks one.
    # (A run the kernel killed, by a signal before taster's handler existed, cannot have. Through
    # a `prefix` wrapper, process.pid is the wrapper's and there is nothing to check.)
    leftover = Path(f"/dev/shm/mongoc-{process.pid}")
    if not prefix and leftover.exists():
        leftover.unlink()
        if process.returncode >= 0:
            raise AssertionError(f"taster {' '.join(args)} left {leftover} behind")
    return Run(list(args), env, process.returncode, stdout, stderr, seconds,
               termination.read_text() if termination else "",
               None if signalled is None else signalled - start,
               usage.ru_maxrss if usage is not None and not prefix else None, process.pid)


def _reap(process: subprocess.Popen, timeout: float):
    """Waits for the child like Popen.wait, but reaps it with wait4 to keep its resource usage
    (None when something else reaped it first). Raises TimeoutExpired."""
    end = time.monotonic() + timeout
    while process.returncode is None:
        try:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        except ChildProcessError:
            process.wait()
            return None
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        if time.monotonic() > end:
            raise subprocess.TimeoutExpired(process.args, timeout)
        time.sleep(0.01)
    return None


def _watched(process, args, timeout, after, when, sig, on_line):
    import threading
    out_chunks: list[str] = []
    err_chunks: list[str] = []
    seen = threading.Event()
    pending = dict(on_line)
    actions: list[threading.Thread] = []

    def pump(stream, chunks, watch):
        for line in stream:
            chunks.append(line)
            if not watch:
                continue
            if when and when in line:
                seen.set()
            for text in [t for t in pending if t in line]:
                action = threading.Thread(target=pending.pop(text), daemon=True)
                actions.append(action)
                action.start()

    threads = [threading.Thread(target=pump, args=(process.stdout, out_chunks, False), daemon=True),
               threading.Thread(target=pump, args=(process.stderr, err_chunks, True), daemon=True)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    signalled = None
    if after is not None:
        time.sleep(after)
        process.send_signal(sig)
        signalled = time.monotonic()
    elif when is not None:
        while not seen.wait(0.05):
            if _exited(process) or time.monotonic() > deadline:
                process.kill()
                process.wait()
                for thread in threads:
                    thread.join(5)
                if seen.is_set():
                    break  # the line came with the exit: the signal finds nothing to stop
                raise AssertionError(f"taster {' '.join(args)} exited with {process.returncode} before {when!r} "
                                     f"appeared in stderr:\n{''.join(err_chunks)}")
        process.send_signal(sig)
        signalled = time.monotonic()
    try:
        usage = _reap(process, max(1.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        for thread in threads:
            thread.join(5)
        what = "did not stop after the signal" if (after is not None or when is not None) else f"did not finish within {timeout}s"
        raise AssertionError(f"taster {' '.join(args)} {what}:\n{''.join(out_chunks)}\n" + "".join(err_chunks))
    for thread in threads + actions:
        thread.join(30)
    return "".join(out_chunks), "".join(err_chunks), signalled, usage


def _exited(process: subprocess.Popen) -> bool:
    """Whether the child has exited, without reaping it (so _reap still gets its usage)."""
    try:
        return os.waitid(os.P_PID, process.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    except ChildProcessError:
        return process.poll() is not None


# -- secrets -----------------------------------------------------------------------------------

SECRET_VARIABLES = ("AWS_SECRET_ACCESS_KEY", "S3_SECRETKEY", "AWS_SESSION_TOKEN", "MONGO_PASS", "TASTER_NOTIFY_URL",
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                    "TASTER_PUSHGATEWAY_PASSWORD", "TASTER_PUSHGATEWAY_TOKEN", "PGPASSWORD", "TASTER_EVIDENCE_KEY")
# MongoDB URI options whose values are secrets (libmongoc's older and newer names).
SECRET_URI_OPTIONS = ("tlscertificatekeyfilepassword", "sslclientcertificatekeypassword", "sslpemkeypassword",
                      "authmechanismproperties", "password", "sslpassword")
# A piece of a secret this long found anywhere is a leak (taster withholds the same pieces).
PIECE = 8
# Texts longer than this are searched for whole secrets only (a 40 MB baseline).
PIECES_UP_TO = 2 * 1024 * 1024
# taster's notice for a line it withheld (SecretRedactor.notice), JSON-escaped or not.
WITHHELD = re.compile(r'\[withheld: this line held a secret \([^)\n]*\), or part of one; see README \\?"Secrets in output\\?"\]')


def origin_only(url: str) -> bool:
    """A URL with no user info, path, query or fragment (`http://127.0.0.1:8080/`) holds no token:
    taster does not treat it as a secret (NotificationSettings.registerParts), nor does the scan."""
    parts = urllib.parse.urlsplit(url)
    return not (parts.username or parts.password or parts.path.strip("/") or parts.query or parts.fragment)


def secrets_of(env: dict[str, str]) -> list[str]:
    """Every secret value a run's environment holds: secret keys, tokens, the MongoDB password
    (raw and percent-encoded), and the token and client key of the kubeconfig it points at."""
    found: list[str] = []
    for name in SECRET_VARIABLES:
        if env.get(name) and not (name == "TASTER_NOTIFY_URL" and origin_only(env[name])):
            found.append(env[name])
    for uri in (env.get("MONGODB_URI", ""), env.get("DATABASE_URL", "")):
        if "@" in uri and "://" in uri:
            userinfo = uri.split("://", 1)[1].split("?", 1)[0].rsplit("@", 1)[0]
            if ":" in userinfo:
                password = userinfo.split(":", 1)[1]
                found += [password, urllib.parse.unquote(password)] + password.split("@")
        if "?" in uri:
            for option in uri.split("?", 1)[1].split("&"):
                name, _, value = option.partition("=")
                if name.lower() in SECRET_URI_OPTIONS and value:
                    found += [value, urllib.parse.unquote(value)]
    for name in ("AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"):
        if env.get(name) and Path(env[name]).is_file():
            found.append(Path(env[name]).read_text().strip())
    for path in filter(None, env.get("KUBECONFIG", "").split(":")):
        found += kubeconfig_secrets(Path(path))
    for name in ("TESTENV_KUBE_TOKEN",):
        if env.get(name):
            found.append(env[name])
    return sorted({s for s in found if len(s) >= 4}, key=len, reverse=True)


def kubeconfig_secrets(path: Path) -> list[str]:
    import json
    try:
        text = path.read_text()
    except OSError:
        return []
    try:
        config = json.loads(text)
    except ValueError:
        try:
            import yaml  # PyYAML comes with the lint tools; kubeconfigs written by tests are JSON
            config = yaml.safe_load(text)
        except Exception:  # noqa: BLE001 - no PyYAML, or not a kubeconfig (a test's broken one)
            return []
    if not isinstance(config, dict):
        return []
    secrets = []
    for user in config.get("users", []):
        data = user.get("user", {})
        if data.get("token"):
            secrets.append(data["token"])
        if data.get("client-key-data"):
            key = base64.b64decode(data["client-key-data"]).decode(errors="replace")
            secrets.append(data["client-key-data"])
            secrets += [line for line in key.splitlines() if len(line) > 20 and "-----" not in line]
        exec_ = data.get("exec") or {}
        # An exec plugin's arguments (values, not flags) and environment values are secrets.
        for arg in exec_.get("args") or []:
            value = arg.split("=", 1)[1] if arg.startswith("-") and "=" in arg else ("" if arg.startswith("-") else arg)
            if len(value) >= 4:
                secrets.append(value)
        secrets += [item.get("value", "") for item in exec_.get("env") or [] if len(item.get("value", "")) >= 4]
        if data.get("client-key"):
            try:
                key = Path(data["client-key"]).read_text()
                secrets += [line for line in key.splitlines() if len(line) > 20 and "-----" not in line]
            except OSError:
                pass
    return secrets


def forms(secret: str) -> set[str]:
    """How a secret may be echoed: as given, lower-cased, percent-encoded, JSON-escaped."""
    found = {secret, urllib.parse.quote(secret, safe=""), urllib.parse.quote(secret, safe="").lower(),
             json.dumps(secret)[1:-1], json.dumps(secret)[1:-1].replace("/", "\\/"), json.dumps(secret, ensure_ascii=False)[1:-1]}
    return {form.lower() for form in found if len(form) >= 4}


def pieces(secret: str) -> set[str]:
    """Every piece of PIECE characters of a secret (lower-cased), for secrets that are not URLs
    (whose scheme and host are no secret: their token parts are registered on their own)."""
    if "://" in secret or len(secret) < PIECE:
        return set()
    lower = secret.lower()
    return {lower[i:i + PIECE] for i in range(len(lower) - PIECE + 1)}


def leaks(texts: dict[str, str | bytes], secrets: list[str], *, data_words: set[str] = frozenset()) -> list[str]:
    """`where: secret…` for every secret found in any of the texts (empty means clean): whole,
    in any of its `forms`, or a piece of it (`pieces`). `data_words` are secrets that are
    ordinary words a case also uses as data (a collection's name): looked for in run output,
    where a line holding one must be withheld, not in stored objects (pass them only with
    objects)."""
    hits = []
    looked_for = [(secret, forms(secret), pieces(secret)) for secret in secrets if secret not in data_words]
    for where, text in texts.items():
        if isinstance(text, bytes):
            text = text.decode("utf-8", errors="replace")
        # taster's notice for a withheld line is its own fixed words (it names the setting, never
        # the value): a password made of words may share a piece with it.
        text = WITHHELD.sub("[withheld]", text)
        lower = text.lower()
        for secret, whole, parts in looked_for:
            if secret in text or any(form in lower for form in whole):
                hits.append(f"{where}: {secret[:3]}…")
            elif len(text) <= PIECES_UP_TO and (piece := next((p for p in parts if p in lower), None)):
                hits.append(f"{where}: a piece of {secret[:3]}… ({len(piece)} characters)")
    return hits


# -- S3 ----------------------------------------------------------------------------------------

def s3_client(stack: dict[str, str]):
    import boto3
    return boto3.client("s3", endpoint_url=stack["AWS_ENDPOINT_URL"], region_name=stack.get("AWS_REGION", "us-east-1"),
                        aws_access_key_id=stack["AWS_ACCESS_KEY_ID"], aws_secret_access_key=stack["AWS_SECRET_ACCESS_KEY"])


def objects_under(stack: dict[str, str], prefix: str) -> dict[str, bytes]:
    """Every object under prefix, with its body."""
    client = s3_client(stack)
    bucket = stack["TASTER_BUCKET"]
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = client.get_object(Bucket=bucket, Key=item["Key"])["Body"].read()
    return found
