"""What every case of the reliability campaign is built from: a staging app of its own (a fresh
namespace in the Kubernetes API emulator, seeded collections, a report prefix), runs of the real
binary, private servers to take down and bring back, the fault proxy in front of SeaweedFS, and
the two verdicts a case may reach — survived, or failed closed — each checked the same way.

A case is a function decorated with `@case(area, title, expect)`. It sets up its scene, runs
taster, and ends by calling `c.survived(run)` or `c.failed_closed(run, code, *mentions)`; any
other ending (an exception, a violated check, a hang, no verdict) makes it wrong. After it, the
campaign scans every run's stdout, stderr and termination message, and every object under the
case's prefixes, for every secret in the runs' environments.
"""
from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import threading
import time
import traceback
import urllib.parse
import uuid
from pathlib import Path
from typing import Callable

import harness
import stack as stacklib
from faultproxy import FaultProxy
from kubeemu.control import Control

WORKLOADS = "statefulset/mongo=1,deployment/pxbbq-web=1"
AT_REST = {"mongo": 0, "pxbbq-web": 0}
SCALED = {"mongo": 1, "pxbbq-web": 1}
ORDERS, REGISTRATIONS = 120, 30
# The key of a run's pre.json, for proxy faults and request counts.
PRE = r"/runs/[^/]+/pre\.json$"
# What a run may take beyond its TASTER_DEADLINE: the restore's own budget (20 s,
# docs/reliability.md) and room for a busy machine. More than this is a hang.
RESTORE_BUDGET = 20.0
SLACK = 25.0

# The campaign's own Kubernetes calls (reading replicas) carry this, so they are not taken for taster's.
OWN_CALLS = {"User-Agent": "taster-chaos-campaign"}
OWN_QUERY = "campaign=own"

SURVIVED, FAILED_CLOSED, WRONG = "survived", "failed closed", "wrong"


# -- the registry ------------------------------------------------------------------------------

@dataclasses.dataclass
class Case:
    area: str
    title: str
    expect: str
    fn: Callable[["Ctx"], None]
    locks: tuple[str, ...] = ()

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", f"{self.area} {self.title}".lower()).strip("-")


CASES: list[Case] = []


def case(area: str, title: str, expect: str, *, locks: tuple[str, ...] = ()):
    """Registers a case: `expect` is its acceptable outcome, in words, as the table shows it."""
    def register(fn):
        CASES.append(Case(area, title, expect, fn, locks))
        return fn
    return register


class CaseError(Exception):
    """A case could not set its scene up (not a finding about taster)."""


# -- durations ---------------------------------------------------------------------------------

def seconds_of(text: str | None, default: float) -> float:
    """A Kubernetes-style duration (`90s`, `2m`, `1h30m`, `500ms`) in seconds."""
    if not text:
        return default
    total, found = 0.0, False
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|s|m|h)", text):
        found = True
        total += float(number) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total if found else default


# -- the staging app ---------------------------------------------------------------------------

class App:
    """A fresh namespace with `statefulset/mongo` and `deployment/pxbbq-web` at 0 replicas,
    orders and registrations in database pxbbq (unique collection names on the shared server),
    and a report prefix of its own."""

    def __init__(self, ctx: "Ctx", seed: bool = True) -> None:
        self.ctx = ctx
        self.stack = ctx.stack
        self.name = ctx.name
        self.control = ctx.control
        self.control.seed_demo(namespace=self.name)
        for kind, workload in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
            self.control.workload(self.name, kind, workload, readyDelaySeconds=0.2)
        self.orders, self.registrations = f"{self.name}-orders", f"{self.name}-registrations"
        self.prefix = f"chaos/{self.name}"
        self.checks_path: Path | None = None
        if seed:
            seed_collections(ctx.admin_db(), self.orders, self.registrations)
            ctx.cleanup(lambda: self._drop(ctx.admin_db()))
        self.env = harness.base_env(
            self.stack, TASTER_NAMESPACE=self.name, TASTER_APP=self.name, TASTER_PREFIX=self.prefix,
            TASTER_COLLECTIONS=f"{self.orders},{self.registrations}", TASTER_WORKLOADS=WORKLOADS,
            TASTER_READY_TIMEOUT="30s", TASTER_MONGO_WAIT="20s", TASTER_DEADLINE="1m")
        self.checks("")

    def _drop(self, db) -> None:
        db.drop_collection(self.orders)
        db.drop_collection(self.registrations)

    # The cases run side by side on one database: every case's collections come and go during the
    # others' syncs, which the structure rules would (rightly) report. The campaign is about faults,
    # so each app only lists those; index rules stay as they are.
    SHARED_DATABASE = ("structure:\n  severity: {collectionDropped: pass, collectionCreated: pass, collectionEmptied: pass}\n")

    def checks(self, text: str) -> Path:
        """Writes a checks file (ORDERS and REGISTRATIONS stand for the app's collections) and uses it;
        the campaign's `structure:` section is added unless `text` has one."""
        path = self.ctx.work / f"checks-{time.monotonic_ns()}.yaml"
        text = text.replace("ORDERS", self.orders).replace("REGISTRATIONS", self.registrations)
        if "structure:" not in text:
            text = (text if not text or text.endswith("\n") else text + "\n") + self.SHARED_DATABASE
        path.write_text(text)
        self.env["TASTER_CHECKS"] = str(path)
        return path

    def scale_path(self, kind: str, name: str) -> str:
        """The scale subresource, as the campaign itself reads it (faults leave these calls alone)."""
        return f"/apis/apps/v1/namespaces/{self.name}/{kind}/{name}/scale?{OWN_QUERY}"

    def replicas(self) -> dict[str, int]:
        found = {}
        for kind, name in (("statefulsets", "mongo"), ("deployments", "pxbbq-web")):
            status, body, _ = self.control.kube("GET", self.scale_path(kind, name), headers=OWN_CALLS)
            if status != 200:
                raise CaseError(f"reading the replicas of {kind}/{name}: {status} {body}")
            found[name] = body.get("spec", {}).get("replicas", 0)
        return found

    def set_replicas(self, kind: str, name: str, replicas: int) -> None:
        status, body, _ = self.control.kube("PATCH", self.scale_path(kind, name), {"spec": {"replicas": replicas}},
                                            content_type="application/merge-patch+json", headers=OWN_CALLS)
        if status != 200:
            raise CaseError(f"scaling {kind}/{name}: {status} {body}")

    def objects(self) -> dict[str, bytes]:
        return harness.objects_under(self.stack, self.prefix + "/")

    def pointer(self) -> dict | None:
        body = self.objects().get(f"{self.prefix}/latest-pre.json")
        return json.loads(body) if body is not None else None

    def fault(self, **fault) -> dict:
        """An emulator fault, kept to this app's namespace unless the case gives its own path,
        that never hits the campaign's own calls."""
        if "path" in fault:
            regex = "^" + re.escape(fault.pop("path"))
        else:
            regex = fault.pop("pathRegex", f"/namespaces/{self.name}/")
        fault["pathRegex"] = f"^(?!.*{OWN_QUERY})(?=.*?(?:{regex}))"
        created = self.control.fault(**fault)
        self.ctx.cleanup(lambda: _ignore(lambda: self.control.call("DELETE", f"/_emulator/faults/{created['id']}")))
        return created


def seed_collections(db, orders: str, registrations: str) -> None:
    from bson.decimal128 import Decimal128
    db[orders].insert_many([{"n": i, "status": "paid" if i % 4 else "open", "total": Decimal128(f"{i}.25")}
                            for i in range(ORDERS)])
    db[registrations].insert_many([{"email": f"g{i}@example.com"} for i in range(REGISTRATIONS)])


def _ignore(action: Callable[[], object]) -> None:
    try:
        action()
    except Exception:  # noqa: BLE001 - cleanup must go on
        pass


# -- a private MongoDB -------------------------------------------------------------------------

class PrivateMongo:
    """A SecantusDB of the case's own, to stop, kill and restart without disturbing other cases:
    users `admin` (root) and `taster` (read on pxbbq), provisioned on a first start without auth,
    and the app's collections seeded there."""

    def __init__(self, ctx: "Ctx", *, test_commands: bool = False, tls: tuple[Path, Path] | None = None,
                 tls_ca: Path | None = None) -> None:
        self.ctx = ctx
        self.port = stacklib.free_port()
        self.data = ctx.work / f"mongo-{self.port}"
        self.log = ctx.work / f"mongo-{self.port}.log"
        self.test_commands = test_commands
        self.tls = tls
        self.tls_ca = tls_ca  # the CA the campaign's own probes trust
        self.admin_password = stacklib.random_secret(18, "@:")
        self.password = stacklib.random_secret(18, "@:/%?")
        self.process: subprocess.Popen | None = None
        ctx.cleanup(self.stop)

    def provision(self, app: App | None = None) -> "PrivateMongo":
        """Users, and the app's collections with the usual documents."""
        import pymongo
        self._start(auth=False)
        tls = {"tls": True, "tlsCAFile": str(self.tls_ca)} if self.tls_ca else {}
        client = pymongo.MongoClient(f"mongodb://127.0.0.1:{self.port}/", serverSelectionTimeoutMS=5000, **tls)
        try:
            client.admin.command("createUser", "admin", pwd=self.admin_password, roles=[{"role": "root", "db": "admin"}])
            client.admin.command("createUser", "taster", pwd=self.password, roles=[{"role": "read", "db": "pxbbq"}])
            if app is not None:
                seed_collections(client["pxbbq"], app.orders, app.registrations)
        finally:
            client.close()
        self.stop()
        return self

    def _start(self, auth: bool, wait: bool = True) -> None:
        self.process = stacklib.start_mongo(self.port, self.data, self.log, auth=auth, test_commands=self.test_commands,
                                            tls=self.tls)
        if wait:
            uri = stacklib.mongo_uri("admin", self.admin_password, self.port) if auth else None
            stacklib.wait_until(lambda: stacklib.mongo_ready(self.port, uri=uri, tls_ca=self.tls_ca), 30,
                                "a private SecantusDB", self.process, self.log)

    def start(self, wait: bool = True) -> "PrivateMongo":
        self._start(auth=True, wait=wait)
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stacklib.stop_pid(self.process.pid)
        self.process = None

    def kill(self) -> None:
        """SIGKILL, as a node failure would, and wait until it is gone."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def uri(self, password: str | None = None) -> str:
        return stacklib.mongo_uri("taster", self.password if password is None else password, self.port)

    def admin(self, **options):
        import pymongo
        if self.tls_ca:
            options.update(tls=True, tlsCAFile=str(self.tls_ca))
        return pymongo.MongoClient(stacklib.mongo_uri("admin", self.admin_password, self.port),
                                   serverSelectionTimeoutMS=5000, **options)

    def fail_point(self, mode, **data) -> None:
        client = self.admin()
        try:
            client.admin.command({"configureFailPoint": "failCommand", "mode": mode, "data": data})
        finally:
            client.close()


# -- a case's context --------------------------------------------------------------------------

class Ctx:
    _shared_lock = threading.Lock()
    _big: str | None = None

    def __init__(self, stack: dict[str, str], case_: Case, work: Path) -> None:
        self.stack = stack
        self.case = case_
        self.name = "c-" + uuid.uuid4().hex[:8]
        self.work = work / self.name
        self.work.mkdir(parents=True, exist_ok=True)
        self.control = Control.from_env(stack)
        self.runs: list[harness.Run] = []
        self.violations: list[str] = []
        self.notes: list[str] = []
        self.outcome: str | None = None
        self.extra_secrets: list[str] = []
        # Secrets that are ordinary words the case also uses as data (a collection's name): a
        # line of output holding one must be withheld; stored reports keep their data.
        self.data_words: set[str] = set()
        self.prefixes: list[str] = []
        self._cleanups: list[Callable[[], None]] = []
        self._app: App | None = None
        self._admin = None
        # A case that damages the baseline on purpose turns off the pointer check for itself.
        self.baseline_damaged_on_purpose = False
        # What the secret scan covered, for the figures.
        self.scanned_objects = 0
        self.scanned_secrets: set[str] = set()

    # -- setup ------------------------------------------------------------------------------

    def app(self, seed: bool = True) -> App:
        if self._app is None:
            self._app = App(self, seed=seed)
            self.prefixes.append(self._app.prefix + "/")
            self.cleanup(lambda: self.control.reset(self.name))
        return self._app

    def admin_db(self):
        if self._admin is None:
            import pymongo
            self._admin = pymongo.MongoClient(self.stack["TESTENV_MONGO_ADMIN_URI"])
            self.cleanup(self._admin.close)
        return self._admin["pxbbq"]

    def proxy(self) -> FaultProxy:
        """A fault proxy in front of the stack's SeaweedFS, for this case only."""
        proxy = FaultProxy(self.stack["AWS_ENDPOINT_URL"]).start()
        self.cleanup(proxy.stop)
        return proxy

    def s3_via_proxy(self) -> FaultProxy:
        """A fault proxy that the app's runs reach S3 through."""
        proxy = self.proxy()
        self.app().env["AWS_ENDPOINT_URL"] = proxy.url
        return proxy

    def baseline(self, restore: bool = False) -> str:
        """A good pre-taste that sets the scene (the app up, a baseline stored; `restore` puts
        the replicas back); returns the key of its pre.json."""
        run = self.run("pre-taste")
        if run.returncode != 0:
            self.violate(f"the pre-taste that sets the scene failed: {run.stderr.strip().splitlines()[-1:]}")
        if restore:
            self.run("restore")
        return (self.app().pointer() or {}).get("key", "")

    def mongo(self, **options) -> PrivateMongo:
        return PrivateMongo(self, **options)

    def big_collection(self) -> str:
        """A collection on the shared server large enough that a fingerprint of it takes a
        while (seeded once per campaign, only read)."""
        with Ctx._shared_lock:
            if Ctx._big is None:
                name = "chaos-big-" + uuid.uuid4().hex[:6]
                self.admin_db()[name].insert_many([{"n": i, "payload": "x" * 200} for i in range(60_000)])
                Ctx._big = name
            return Ctx._big

    def cleanup(self, action: Callable[[], None]) -> None:
        self._cleanups.append(action)

    def close(self) -> None:
        for action in reversed(self._cleanups):
            _ignore(action)

    def later(self, seconds: float, action: Callable[[], None]) -> threading.Thread:
        """Runs `action` after `seconds` in a thread (joined at the end of the case)."""
        def body():
            time.sleep(seconds)
            try:
                action()
            except Exception as error:  # noqa: BLE001
                self.violations.append(f"the scene's timed action failed: {error}")
        thread = threading.Thread(target=body, daemon=True)
        thread.start()
        self.cleanup(lambda: thread.join(60))
        return thread


    # -- running taster ---------------------------------------------------------------------

    def run(self, *args: str, env: dict | None = None, base: dict | None = None, bound: float | None = None,
            **options) -> harness.Run:
        """Runs taster with the app's environment (or `base`) plus `env` (None removes a
        variable). Fails the case as a hang when it takes longer than its deadline plus the
        restore budget plus slack (or `bound`)."""
        environment = dict(base if base is not None else self.app().env)
        for key, value in (env or {}).items():
            if value is None:
                environment.pop(key, None)
            else:
                environment[key] = value
        limit = bound if bound is not None else seconds_of(environment.get("TASTER_DEADLINE"), 900) + RESTORE_BUDGET + SLACK
        before = self._state() if self._app is not None else None
        try:
            result = harness.run(list(args), environment, tmp=self.work, timeout=limit + 30, **options)
        except AssertionError as error:
            first = str(error).splitlines()[0]
            if "did not finish" in first or "did not stop" in first:
                self.violations.append(f"HANG: {first}")
            else:
                self.violations.append(f"the run went otherwise than the scene needs: {first}")
            raise
        result.before = before  # type: ignore[attr-defined]
        self.runs.append(result)
        if result.seconds > limit:
            self.violate(f"taster {' '.join(args)} took {result.seconds:.1f}s, over the bound of {limit:.0f}s")
        if self._app is not None:
            self._check_pointer()
        return result

    def _state(self) -> dict:
        app = self._app
        objects = app.objects()
        return {"replicas": app.replicas(), "keys": set(objects),
                "pointer": objects.get(f"{app.prefix}/latest-pre.json")}

    # -- checks ----------------------------------------------------------------------------

    def violate(self, message: str) -> None:
        self.violations.append(message)

    def check(self, condition: bool, message: str) -> bool:
        if not condition:
            self.violate(message)
        return bool(condition)

    def note(self, message: str) -> None:
        self.notes.append(message)

    def _check_pointer(self) -> None:
        """latest-pre.json, when it exists, points at a complete baseline."""
        app = self._app
        objects = app.objects()
        raw = objects.get(f"{app.prefix}/latest-pre.json")
        if raw is None:
            return
        try:
            pointer = json.loads(raw)
            report = json.loads(objects[pointer["key"]])
            ok = report.get("schemaVersion") in (1, 2, 3) and report.get("phase") == "pre" and report.get("errors") == [] \
                and report.get("snapshot", {}).get("checks")
        except (ValueError, KeyError, TypeError):
            ok = False
        if not ok and not self.baseline_damaged_on_purpose:
            self.violate("latest-pre.json points at a partial or unreadable run")

    def mentions(self, run: harness.Run, *needles) -> None:
        """Each needle (a text, or a tuple of alternatives) appears in stderr or the termination
        message, case-insensitively."""
        text = (run.stderr + run.termination_log).lower()
        for needle in needles:
            options = needle if isinstance(needle, tuple) else (needle,)
            self.check(any(option.lower() in text for option in options),
                       f"the message does not say {' or '.join(repr(o) for o in options)}")

    def survived(self, run: harness.Run, *, code: int = 0, replicas: dict | None = None) -> None:
        """The run did what it should: exit `code` (0), and the app left as the workflow leaves it."""
        command = run.args[0]
        self.check(run.returncode == code, f"exit {run.returncode}, expected {code}: {_tail(run)}")
        if self._app is not None and run.before is not None:
            if replicas is None:
                replicas = SCALED if command == "pre-taste" else (AT_REST if command in ("post-taste", "restore") else run.before["replicas"])
            found = self._app.replicas()
            self.check(found == replicas, f"replicas {found}, expected {replicas}")
            if command == "pre-taste" and code == 0:
                pointer = self._app.pointer()
                self.check(pointer is not None and pointer != (json.loads(run.before["pointer"]) if run.before["pointer"] else None),
                           "pre-taste passed but did not move latest-pre.json")
            if command == "post-taste" and code == 0:
                self.check(run.termination_log.startswith("taster: PASS"), "post-taste passed without a PASS summary")
        if not self.violations:
            self.outcome = SURVIVED

    def failed_closed(self, run: harness.Run, code: int, *mentions, replicas: dict | None = None) -> None:
        """Non-zero, the right code, the message names what failed, no pass, no pointer to a
        partial run, no new passing verdict, and the replicas as the workflow found them."""
        command = run.args[0]
        self.check(run.returncode == code, f"exit {run.returncode}, expected {code}: {_tail(run)}")
        self.check("taster: PASS" not in run.stdout + run.termination_log, "a failed run printed a pass")
        if code != 1:
            self.check(run.termination_log.startswith("taster: ERROR") or not run.termination_log,
                       f"the termination message is not an ERROR summary: {run.termination_log.strip()[:200]!r}")
            self.check(bool(run.termination_log.strip()) or command not in ("pre-taste", "post-taste", "restore"),
                       "no termination message")
        self.mentions(run, *mentions)
        if self._app is not None and run.before is not None:
            objects = self._app.objects()
            for key in set(objects) - run.before["keys"]:
                if key.endswith("verdict.json") and json.loads(objects[key]).get("result") == "pass":
                    self.violate(f"a failed run stored a passing verdict: {key}")
            if command == "pre-taste":
                pointer = objects.get(f"{self._app.prefix}/latest-pre.json")
                # Only a pointer write whose answer was lost may have landed, and then the run says
                # so and the pointer names this run's complete baseline (_check_pointer).
                ambiguous = "latest-pre.json to it failed" in run.stderr and pointer is not None \
                    and f"/runs/{json.loads(pointer).get('runId')}/pre.json" in run.stderr
                self.check(pointer == run.before["pointer"] or ambiguous, "a failed pre-taste moved latest-pre.json")
            if replicas is None:
                replicas = AT_REST if command == "post-taste" else run.before["replicas"]
            found = self._app.replicas()
            self.check(found == replicas, f"replicas {found}, expected {replicas} (not restored)")
        if not self.violations:
            self.outcome = FAILED_CLOSED

    def taster_calls(self, since: int, method: str | None = None, **filters) -> list[dict]:
        """The Kubernetes API requests in this case's namespace since `since`, but the campaign's own."""
        calls = self.control.requests(since=since, namespace=self.name, **({"method": method} if method else {}), **filters)
        def own(call: dict) -> bool:
            return any(k.lower() == "user-agent" and v == OWN_CALLS["User-Agent"] for k, v in call.get("headers", {}).items())
        return [c for c in calls if not own(c)]

    def no_kubernetes_call(self, since: int, method: str | None = None) -> None:
        calls = self.taster_calls(since, method)
        self.check(calls == [], f"Kubernetes calls were made: {[c['method'] + ' ' + c['path'] for c in calls][:4]}")

    def no_upload(self) -> None:
        keys = sorted(self.app().objects())
        self.check(keys == [], f"objects were uploaded: {keys[:4]}")


def _tail(run: harness.Run) -> str:
    lines = (run.stderr.strip().splitlines() or [""])
    # A failed verdict says why on standard output: its failed rows.
    failed = [line.strip() for line in run.stdout.splitlines() if "FAIL" in line and not line.startswith("taster:")]
    return lines[-1][:300] + (" | " + "; ".join(failed)[:300] if failed else "")


# -- running one case --------------------------------------------------------------------------

@dataclasses.dataclass
class Result:
    case: Case
    outcome: str
    seconds: float
    runs: int
    secret_hits: list[str]
    problems: list[str]
    notes: list[str]
    # One line per run: command, exit code, seconds (and when a signal was sent).
    trail: list[str] = dataclasses.field(default_factory=list)
    scanned_objects: int = 0
    scanned_secrets: frozenset = frozenset()

    def as_dict(self) -> dict:
        return {"area": self.case.area, "case": self.case.title, "expect": self.case.expect, "outcome": self.outcome,
                "seconds": round(self.seconds, 1), "runs": self.runs, "trail": self.trail, "secretHits": self.secret_hits,
                "problems": self.problems, "notes": self.notes}


def run_case(stack: dict[str, str], case_: Case, work: Path) -> Result:
    started = time.monotonic()
    ctx = Ctx(stack, case_, work)
    problems: list[str] = []
    try:
        case_.fn(ctx)
    except CaseError as error:
        problems.append(f"scene could not be set up: {error}")
    except AssertionError as error:
        if not ctx.violations:
            problems.append(f"assertion: {str(error).splitlines()[0] if str(error) else 'failed'}")
    except Exception as error:  # noqa: BLE001 - a broken case is reported, not raised
        problems.append(f"{type(error).__name__}: {error}\n{traceback.format_exc(limit=4)}")
    hits: list[str] = []
    try:
        hits = scan(ctx)
    except Exception as error:  # noqa: BLE001
        problems.append(f"secret scan failed: {error}")
    ctx.close()
    problems = ctx.violations + problems
    if hits:
        problems.append(f"secrets leaked: {hits}")
    outcome = ctx.outcome if (ctx.outcome and not problems) else WRONG
    if outcome == WRONG and not problems:
        problems.append("the case reached no verdict")
    trail = [f"{' '.join(r.args)} -> {r.returncode} in {r.seconds:.1f}s"
             + (f" (signal at {r.signalled:.1f}s)" if r.signalled is not None else "") for r in ctx.runs]
    return Result(case_, outcome, time.monotonic() - started, len(ctx.runs), hits, problems, ctx.notes, trail,
                  ctx.scanned_objects, frozenset(ctx.scanned_secrets))


def preflight(stack: dict[str, str]) -> list[str]:
    """Proves the scan can find what it looks for: the stack's secrets are among those a run's
    environment yields (the MongoDB password raw and percent-encoded, the S3 secret, the
    kubeconfig's bearer token), and a text holding any of them is a hit. Problems, or []."""
    env = harness.base_env(stack)
    secrets = harness.secrets_of(env)
    password = stack["TESTENV_MONGO_PASSWORD"]
    expected = {"the S3 secret key": stack["AWS_SECRET_ACCESS_KEY"], "the MongoDB password": password,
                "the MongoDB password, percent-encoded": urllib.parse.quote(password, safe=""),
                "the kubeconfig's bearer token": stack["TESTENV_KUBE_TOKEN"]}
    problems = [f"the scan would not look for {what}" for what, value in expected.items() if value not in secrets]
    for what, value in expected.items():
        if not harness.leaks({"canary": f"... {value} ..."}, secrets):
            problems.append(f"the scan would not notice {what} in a text")
    # The forms a library or a server echoes: upper-cased, JSON-escaped, and a piece of it.
    for what, text in {"upper-cased": password.upper(), "JSON-escaped": json.dumps(password),
                       "cut to a piece": password[3:3 + harness.PIECE]}.items():
        if not harness.leaks({"canary": f"... {text} ..."}, secrets):
            problems.append(f"the scan would not notice the MongoDB password {what}")
    return problems


def scan(ctx: Ctx) -> list[str]:
    """Every run's output and every object under the case's prefixes, for every secret in any
    of its runs' environments (and the case's own extra secrets)."""
    secrets: set[str] = set(ctx.extra_secrets)
    for run in ctx.runs:
        secrets.update(harness.secrets_of(run.env))
    secrets = {s for s in secrets if len(s) >= 4}
    if ctx.runs and not secrets:
        raise CaseError("no secrets to look for")
    ordered = sorted(secrets, key=len, reverse=True)
    hits = []
    for index, run in enumerate(ctx.runs):
        hits += harness.leaks({f"run {index} ({run.args[0]}) stdout": run.stdout,
                               f"run {index} ({run.args[0]}) stderr": run.stderr,
                               f"run {index} ({run.args[0]}) termination message": run.termination_log}, ordered)
    for prefix in ctx.prefixes:
        objects = harness.objects_under(ctx.stack, prefix)
        ctx.scanned_objects += len(objects)
        hits += harness.leaks({f"s3 {key}": body for key, body in objects.items()}, ordered, data_words=ctx.data_words)
    ctx.scanned_secrets = set(ordered)
    return hits
