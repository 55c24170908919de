#!/usr/bin/env python3
"""The soak: hundreds of consecutive syncs of one staging app, each pre-taste → a random change of
the data or none → post-taste through the `taster` binary, with a random fault in a random subset
of them, judged against a ground truth computed from the data itself (README, "Reliability").

    scripts/with-stack.sh .venv/bin/python testenv/chaos/soak.py [--syncs N] [--seed S] [--jobs J]

SOAK_SYNCS (default 300), SOAK_SEED (default: random, printed) and SOAK_JOBS (default 3: apps
soaked side by side, each with its own syncs in sequence, its own SecantusDB, fault proxy in front
of SeaweedFS, namespace and report prefix) set the same. TASTER_BINARY names the binary (`make
soak`: the release build).

A sync is what Argo CD runs: the PreSync hook (`pre-taste`), the sync (here: a change of the data,
or none), the PostSync hook (`post-taste`), and — when a hook failed or was interrupted — the
SyncFail hook (`taster restore`). Faults: a MongoDB restart (SIGKILL, then started again on its
data), a primary stepdown (`replSetStepDown`, SecantusDB's single-node window) or a closed
connection on a command; an S3 outage of 1–30 s, 5xx answers and slow answers through the fault
proxy; Kubernetes 429, 500, dropped watches and scale writes applied with their answer lost;
SIGTERM at a random moment; the deadline expiring; and two syncs that overlap (the next PreSync
while this PostSync runs). Some syncs scale another list of workloads than the one before
(TASTER_WORKLOADS changed between syncs: fewer workloads, or other replicas), three in four second
syncs of an overlap among them: the earlier post-taste must then restore what the later run does
not.

Wrong: a pass when the measured data changed, a fail when it did not (a verdict must be its own
sync's: its pre and post), an exit code no hook may end with, an app left scaled after a sync, a
report lost or left partial, `latest-pre.json` pointing at a partial run, a secret in any output or
stored object, anything left behind (spool files, /dev/shm entries, processes). Exit 1 on any.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import dataclasses
import json
import os
import random
import shutil
import sys
import threading
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import harness
import stack as stacklib
from chaos import kit
from chaos.leftovers import Leftovers

FAULTS = {  # kind: weight (out of 100; the rest of the syncs have no fault)
    "mongo restart": 4, "mongo stepdown": 3, "mongo closed connection": 3,
    "s3 outage": 5, "s3 5xx": 4, "s3 slow": 3,
    "kube 429": 3, "kube 500": 3, "kube watch drop": 3, "kube lost answer": 3,
    "sigterm": 5, "deadline": 3, "overlap": 3,
}
# TASTER_WORKLOADS: the app's usual list, and the others a sync may scale instead (fewer
# workloads, other replicas); each rests at 0 replicas like the usual one.
WORKLOADS = kit.WORKLOADS
OTHER_WORKLOADS = ("statefulset/mongo=1", "deployment/pxbbq-web=1", "statefulset/mongo=2,deployment/pxbbq-web=1")
OTHER_WORKLOADS_SHARE = 0.1  # of the syncs, besides three in four second syncs of an overlap
DEADLINE = "90s"  # room for a 30 s outage inside the S3 retry budget
CHECKS = """checks:
  - name: revenue
    kind: sum
    collection: ORDERS
    field: total
  - name: guests
    kind: fingerprint
    collection: REGISTRATIONS
    fields: [email]
"""
# What a hook may end with under a fault: 0 pass, 1 fail, 3 a dependency, 4 no usable baseline,
# 143/130 interrupted. 2 (bad settings) never: the settings never change.
ACCEPTABLE = {0, 1, 3, 4, 143, 130}


@dataclasses.dataclass
class Sync:
    number: int
    lane: int
    fault: str
    change: str
    workloads: str = WORKLOADS  # TASTER_WORKLOADS of the sync's hooks
    phase: str = ""  # the hook the fault hit
    outcome: str = ""  # pass, fail, error, interrupted
    truth_changed: bool | None = None
    problems: list[str] = dataclasses.field(default_factory=list)
    runs: list[harness.Run] = dataclasses.field(default_factory=list)
    seconds: float = 0.0


class Lane:
    """One staging app soaked sync after sync: a namespace in the emulator, a SecantusDB of its
    own, a fault proxy between taster and SeaweedFS, and a report prefix."""

    def __init__(self, stack: dict[str, str], index: int, work: Path, seed: str, leftovers: Leftovers) -> None:
        self.index = index
        self.random = random.Random(f"{seed}-{index}")
        self.ctx = kit.Ctx(stack, kit.Case("soak", f"lane {index}", "", lambda _: None), work)
        self.app = self.ctx.app(seed=False)  # its collections are on the app's own SecantusDB
        self.mongo = self.ctx.mongo(test_commands=True).provision(self.app).start()
        self.app.env["MONGODB_URI"] = self.mongo.uri()
        self.app.checks(CHECKS)
        self.proxy = self.ctx.s3_via_proxy()
        self.tmp = leftovers.spool_dir(self.app.name)
        self.app.env.update(TASTER_DEADLINE=DEADLINE, TASTER_READY_TIMEOUT="30s", TASTER_MONGO_WAIT="30s",
                            TMPDIR=str(self.tmp))
        self.leftovers = leftovers
        # The soak's own client waits out a stepdown window (up to 10 s) and sees the primary
        # back within half a second.
        import pymongo
        self.client = pymongo.MongoClient(stacklib.mongo_uri("admin", self.mongo.admin_password, self.mongo.port),
                                          serverSelectionTimeoutMS=30_000, heartbeatFrequencyMS=500)
        self.ctx.cleanup(self.client.close)
        # The changes are journaled (j: true), as an app's writes that must survive a crash: the
        # soak's SIGKILLs of the database must not undo the change the ground truth counts.
        from pymongo import WriteConcern
        self.db = self.client.get_database("pxbbq", write_concern=WriteConcern(j=True))
        self.serial = 10_000

    # -- the data --------------------------------------------------------------------------

    def measured(self) -> tuple:
        """What the checks measure, computed here from the documents: the two counts, the sum
        of the orders' totals, and every registration's _id and email."""
        orders = list(self.db[self.app.orders].find({}, {"total": 1}))
        total = sum((Decimal(str(o["total"].to_decimal())) if hasattr(o.get("total"), "to_decimal") else Decimal(str(o["total"]))
                     for o in orders if "total" in o), Decimal(0))
        guests = sorted((str(r["_id"]), r.get("email")) for r in self.db[self.app.registrations].find({}, {"email": 1}))
        return len(orders), total, len(guests), tuple(guests)

    # About half the syncs change nothing the checks measure.
    CHANGES = ("none", "none", "none", "none", "untouched field", "untouched field", "order added", "order deleted",
               "total changed", "email changed", "guest added", "guest removed")

    def change(self, what: str) -> None:
        from bson.decimal128 import Decimal128
        orders, guests = self.db[self.app.orders], self.db[self.app.registrations]
        self.serial += 1
        if what == "untouched field":  # neither counted, summed nor fingerprinted
            orders.update_one({}, {"$set": {"status": f"s{self.serial}"}})
            guests.update_one({}, {"$set": {"name": f"n{self.serial}"}})
        elif what == "order added":
            orders.insert_one({"n": self.serial, "status": "paid", "total": Decimal128(f"{self.serial}.25")})
        elif what == "order deleted":
            orders.delete_one({})
        elif what == "total changed":
            doc = orders.find_one({})
            orders.update_one({"_id": doc["_id"]}, {"$set": {"total": Decimal128(f"{self.serial}.75")}})
        elif what == "email changed":
            guests.update_one({}, {"$set": {"email": f"changed{self.serial}@example.com"}})
        elif what == "guest added":
            guests.insert_one({"email": f"new{self.serial}@example.com"})
        elif what == "guest removed":
            guests.delete_one({})

    # -- faults ------------------------------------------------------------------------------

    def arm(self, sync: Sync, env: dict, options: dict) -> list[threading.Thread]:
        """Sets the sync's fault up for the hook it hits; returns the threads that carry it out."""
        r = self.random
        threads: list[threading.Thread] = []

        def later(seconds: float, action) -> None:
            def body():
                time.sleep(seconds)
                try:
                    action()
                except Exception as error:  # noqa: BLE001 - a fault that could not be made is noted
                    sync.problems.append(f"(scene) the fault could not be made: {error}")
            thread = threading.Thread(target=body, daemon=True)
            thread.start()
            threads.append(thread)

        kind = sync.fault
        scale = f"/namespaces/{self.app.name}/[a-z]+/[a-z-]+/scale"
        if kind == "mongo restart":
            later(r.uniform(0, 1.5), self.restart_mongo)
        elif kind == "mongo stepdown":
            seconds = r.randint(2, 10)
            later(r.uniform(0, 1.0), lambda: self.client.admin.command("replSetStepDown", seconds, force=True))
        elif kind == "mongo closed connection":
            self.mongo.fail_point({"times": r.randint(1, 2)}, failCommands=["aggregate", "find", "count"], closeConnection=True)
        elif kind == "s3 outage":
            seconds = r.uniform(1, 30)
            later(r.uniform(0, 1.5), lambda: self.proxy.down(seconds))
        elif kind == "s3 5xx":
            self.proxy.fault(action="status", status=r.choice([500, 502, 503, 504]), count=r.randint(1, 4))
        elif kind == "s3 slow":
            self.proxy.fault(action="delay", seconds=r.uniform(1, 5), count=r.randint(1, 3))
        elif kind == "kube 429":
            self.app.fault(code=429, retryAfter=1, watch=False, count=r.randint(1, 3))
        elif kind == "kube 500":
            self.app.fault(code=500, watch=False, count=r.randint(1, 4))
        elif kind == "kube watch drop":
            self.app.fault(method="GET", watch=True, action="drop-watch", afterEvents=r.randint(0, 2), count=r.randint(1, 2))
        elif kind == "kube lost answer":
            self.app.fault(method="PATCH", pathRegex=scale, action="lose", count=r.randint(1, 7))
        elif kind == "sigterm":
            options["signal_after"] = r.uniform(0.05, 2.0)
        elif kind == "deadline":
            env["TASTER_DEADLINE"] = f"{r.randint(2, 4)}s"
            self.app.fault(method="GET", pathRegex=scale, watch=False, action="delay", seconds=6, count=1)
        return threads

    def restart_mongo(self) -> None:
        self.mongo.kill()
        self.mongo.start()

    def calm(self) -> None:
        """Every fault this lane set is cleared (an S3 outage under way ends on its own)."""
        self.proxy.clear()
        # Faults are kept to each app's namespace: clear only this one's (the others run on).
        for fault in self.ctx.control.faults():
            if self.app.name in fault.get("pathRegex", ""):
                self.ctx.control.call("DELETE", f"/_emulator/faults/{fault['id']}")
        try:
            self.mongo.fail_point("off")
        except Exception:  # noqa: BLE001 - a server being restarted has no fail point to clear
            pass

    # -- running the hooks -------------------------------------------------------------------

    def run(self, sync: Sync, command: str, env: dict | None = None, **options) -> harness.Run | None:
        environment = dict(self.app.env)
        environment["TASTER_WORKLOADS"] = sync.workloads
        environment.update(env or {})
        limit = kit.seconds_of(environment["TASTER_DEADLINE"], 90) + kit.RESTORE_BUDGET + kit.SLACK
        try:
            run = harness.run([command], environment, tmp=self.ctx.work, timeout=limit + 30, **options)
        except AssertionError as error:
            first = str(error).splitlines()[0]
            if "left /dev/shm" in first:
                self.leftovers.note(f"sync {sync.number}: {first}")
            else:
                sync.problems.append(f"HANG: {first}")
            return None
        sync.runs.append(run)
        self.ctx.runs.append(run)
        self.leftovers.ran(run.pid)
        if run.seconds > limit:
            sync.problems.append(f"taster {command} took {run.seconds:.1f}s, over its bound of {limit:.0f}s")
        if run.returncode not in ACCEPTABLE:
            sync.problems.append(f"taster {command} exited {run.returncode}: {kit._tail(run)}")
        # A pass whose restore then failed is exit 3 and says both (the SyncFail hook restores).
        restore_failed = run.returncode == 3 and "RESTORE FAILED" in run.termination_log
        if run.returncode not in (0, 1) and "taster: PASS" in run.stdout + run.termination_log and not restore_failed:
            sync.problems.append(f"taster {command} exited {run.returncode} and printed a pass")
        return run

    def hook(self, sync: Sync, command: str, faulted: bool) -> harness.Run | None:
        env: dict = {}
        options: dict = {}
        threads = self.arm(sync, env, options) if faulted else []
        run = self.run(sync, command, env, **options)
        for thread in threads:
            thread.join(60)
        return run

    def sync_fail_hook(self, sync: Sync) -> None:
        """Argo CD's SyncFail hook after a hook failed or was interrupted: `taster restore`."""
        self.calm()
        self.wait_for_mongo()
        self.run(sync, "restore")

    def wait_for_mongo(self) -> None:
        """The app's database up and primary again (after a restart or a stepdown window), so the
        soak's own reads and changes go through."""
        if self.mongo.process is None:
            self.mongo.start()
        end = time.monotonic() + 30
        from pymongo import ReadPreference
        # Asked of whatever node answers: a node in its stepdown window is a secondary.
        while not self.client.admin.command("hello", read_preference=ReadPreference.SECONDARY_PREFERRED).get("isWritablePrimary"):
            if time.monotonic() > end:
                raise RuntimeError("the app's SecantusDB is not primary again 30 s after the fault")
            time.sleep(0.2)

    def soak(self, sync: Sync, following: Sync | None = None) -> list[Sync]:
        """One sync (two when they overlap); returns the syncs done."""
        started = time.monotonic()
        fault_in = self.random.choice(["pre-taste", "post-taste"])
        if sync.fault == "overlap":
            return self.overlap(sync, following, started)
        sync.phase = fault_in if sync.fault != "none" else ""
        self.wait_for_mongo()
        before = self.measured()
        pre = self.hook(sync, "pre-taste", sync.fault != "none" and fault_in == "pre-taste")
        self.calm()
        self.wait_for_mongo()
        run_id = self.pre_outcome(sync, pre)
        if run_id is None:
            self.sync_fail_hook(sync)
        else:
            self.change(sync.change)
            sync.truth_changed = self.measured() != before
            changed = self.measured()
            post = self.hook(sync, "post-taste", sync.fault != "none" and fault_in == "post-taste")
            self.calm()
            self.wait_for_mongo()
            if self.measured() != changed:
                sync.problems.append("(scene) the database lost a journaled write during the sync")
            self.post_outcome(sync, post, run_id)
            if post is None or post.returncode != 0:
                self.sync_fail_hook(sync)
        self.after(sync)
        sync.seconds = time.monotonic() - started
        return [sync]

    def overlap(self, first: Sync, second: Sync, started: float) -> list[Sync]:
        """Sync `first`'s PostSync runs while sync `second`'s PreSync starts (back-to-back syncs):
        each verdict must compare its own pre and post, and the app must end at rest."""
        first.phase = second.phase = "overlap"
        first.fault = second.fault = "overlap"
        before = self.measured()
        run_id = self.pre_outcome(first, self.run(first, "pre-taste"))
        if run_id is None:
            self.sync_fail_hook(first)
            self.after(first)
            second.fault, second.phase = "none", ""
            return [first] + self.soak(second)
        self.change(first.change)
        first.truth_changed = self.measured() != before
        between = self.measured()
        # post-taste of the first holds its post.json upload a while, so the second PreSync
        # stores its baseline while the first PostSync still runs.
        self.proxy.fault(method="PUT", path=rf"/runs/{run_id}/post\.json$", action="delay", seconds=self.random.uniform(3, 6))
        results: dict[str, harness.Run | None] = {}
        post_thread = threading.Thread(target=lambda: results.__setitem__("post", self.run(first, "post-taste")), daemon=True)
        post_thread.start()
        time.sleep(self.random.uniform(0.3, 1.5))
        second_pre = self.run(second, "pre-taste")
        post_thread.join(300)
        self.calm()
        self.post_outcome(first, results.get("post"), run_id)
        if first.outcome in ("error", "interrupted"):
            self.sync_fail_hook(first)
        second_id = self.pre_outcome(second, second_pre)
        if second_id == run_id:
            second.problems.append("the overlapping pre-taste reused the first sync's run id")
        first.seconds = time.monotonic() - started
        if second_id is None:
            self.sync_fail_hook(second)
        else:
            self.change(second.change)
            second.truth_changed = self.measured() != between
            post = self.run(second, "post-taste")
            self.post_outcome(second, post, second_id)
            if post is None or post.returncode != 0:
                self.sync_fail_hook(second)
        self.after(second)
        second.seconds = time.monotonic() - started - first.seconds
        return [first, second]

    # -- judging -----------------------------------------------------------------------------

    def stored(self, key: str) -> bytes | None:
        """One object (the app's prefix grows with every sync: never list it whole)."""
        return harness.objects_under(self.ctx.stack, key).get(key)

    def pointer(self) -> dict | None:
        raw = self.stored(f"{self.app.prefix}/latest-pre.json")
        return json.loads(raw) if raw is not None else None

    def pointer_at_a_complete_baseline(self) -> bool:
        """No pointer, or one naming a complete baseline (as the campaign checks it)."""
        pointer = self.pointer()
        if pointer is None:
            return True
        try:
            report = json.loads(self.stored(pointer["key"]))
            return report.get("phase") == "pre" and report.get("errors") == [] and bool(report.get("snapshot", {}).get("checks"))
        except (TypeError, ValueError, KeyError):
            return False

    def pre_outcome(self, sync: Sync, run: harness.Run | None) -> str | None:
        """The run id of a pre-taste that stored its baseline, else None (and the sync's outcome)."""
        if run is None:
            sync.outcome = "error"
            return None
        if run.returncode != 0:
            sync.outcome = "interrupted" if run.returncode in (130, 143) else "error"
            return None
        pointer = self.pointer()
        if pointer is None:
            sync.problems.append("LOST: pre-taste passed and there is no latest-pre.json")
            return None
        if self.stored(f"{self.app.prefix}/runs/{pointer['runId']}/pre.json") is None:
            sync.problems.append(f"LOST: pre-taste passed and {pointer['key']} is not stored")
        if pointer["runId"] not in run.stdout + run.termination_log:
            sync.problems.append(f"latest-pre.json names run {pointer['runId']}, not the one pre-taste reported")
        return pointer["runId"]

    def post_outcome(self, sync: Sync, run: harness.Run | None, run_id: str) -> None:
        stored = harness.objects_under(self.ctx.stack, f"{self.app.prefix}/runs/{run_id}/")
        verdict_raw = stored.get(f"{self.app.prefix}/runs/{run_id}/verdict.json")
        verdict = json.loads(verdict_raw) if verdict_raw is not None else None
        code = None if run is None else run.returncode
        if code in (0, 1):
            sync.outcome = "pass" if code == 0 else "fail"
        elif code in (130, 143):
            sync.outcome = "interrupted"
        else:
            sync.outcome = "error"
        if verdict is not None:
            result = verdict.get("result")
            if verdict.get("preKey") != f"{self.app.prefix}/runs/{run_id}/pre.json":
                sync.problems.append(f"WRONG: the verdict of run {run_id} compares {verdict.get('preKey')}, not its own baseline")
            if result == "pass" and sync.truth_changed:
                sync.problems.append(f"WRONG: a pass for data that changed ({sync.change})")
            if result == "fail" and sync.truth_changed is False:
                sync.problems.append(f"WRONG: a fail for data that did not change ({sync.change}): {verdict.get('summary', '')[:300]}")
            for key in ("post.json", "verdict.html"):
                if f"{self.app.prefix}/runs/{run_id}/{key}" not in stored:
                    sync.problems.append(f"PARTIAL: verdict.json is stored and {key} is not")
            if code in (0, 1) and result != sync.outcome:
                sync.problems.append(f"post-taste exited {code} and its verdict.json says {result}")
        elif code in (0, 1):
            sync.problems.append(f"LOST: post-taste exited {code} and verdict.json is not stored")

    def after(self, sync: Sync) -> None:
        """After the sync and its hooks: the app at rest, the pointer at a complete baseline."""
        replicas = self.app.replicas()
        if replicas != kit.AT_REST:
            sync.problems.append(f"SCALED: the app was left at {replicas}")
            # Put it back, so the next sync starts from rest and this one is counted once.
            for kind, name in (("statefulsets", "mongo"), ("deployments", "pxbbq-web")):
                self.app.set_replicas(kind, name, 0)
        if not self.pointer_at_a_complete_baseline():
            sync.problems.append("POINTER: latest-pre.json points at a partial or unreadable run")
        self.leftovers.check_spool(self.tmp, sync)


def plan(syncs: int, seed: str) -> list[Sync]:
    r = random.Random(seed)
    kinds = list(FAULTS)
    weights = [FAULTS[k] for k in kinds]
    planned = []
    for number in range(1, syncs + 1):
        fault = r.choices(kinds, weights)[0] if r.random() * 100 < sum(weights) else "none"
        workloads = r.choice(OTHER_WORKLOADS) if r.random() < OTHER_WORKLOADS_SHARE else WORKLOADS
        planned.append(Sync(number=number, lane=0, fault=fault, change=r.choice(Lane.CHANGES), workloads=workloads))
    return planned


def vary_overlaps(syncs: list[Sync], seed: str) -> None:
    """Three in four of the syncs that follow an overlap in their lane (the later of the two) scale
    another list of workloads than the earlier one."""
    r = random.Random(f"{seed}-workloads")
    for sync in syncs:
        if sync.fault != "overlap":
            continue
        following = next((s for s in syncs if s.lane == sync.lane and s.number > sync.number), None)
        if following is not None and r.random() < 0.75:
            following.workloads = r.choice([w for w in OTHER_WORKLOADS if w != sync.workloads])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--syncs", type=int, default=int(os.environ.get("SOAK_SYNCS", "300")))
    parser.add_argument("--seed", default=os.environ.get("SOAK_SEED") or str(random.SystemRandom().randrange(1 << 32)))
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("SOAK_JOBS", "3")),
                        help="apps soaked side by side (default 3, SOAK_JOBS)")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for README)")
    args = parser.parse_args()
    stack = kit_stack()
    print(f"soak: {args.syncs} syncs, SOAK_SEED={args.seed}, {args.jobs} apps side by side, binary {harness.binary()}",
          flush=True)
    problems = kit.preflight(stack)
    if problems:
        print("soak: the secret scan cannot be trusted:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    work = Path(stack["TESTENV_RUN"]) / "soak"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    leftovers = Leftovers(work / "tmp")
    syncs = plan(args.syncs, args.seed)
    jobs = max(1, min(args.jobs, len(syncs)))
    for sync in syncs:
        sync.lane = (sync.number - 1) % jobs
    vary_overlaps(syncs, args.seed)
    printing = threading.Lock()
    done: list[Sync] = []
    started = time.monotonic()

    def lane_body(index: int) -> None:
        lane = Lane(stack, index, work, args.seed, leftovers)
        try:
            mine = [s for s in syncs if s.lane == index]
            i = 0
            while i < len(mine):
                sync = mine[i]
                following = mine[i + 1] if i + 1 < len(mine) else None
                if sync.fault == "overlap" and following is None:
                    sync.fault = "none"
                try:
                    finished = lane.soak(sync, following)
                except Exception as error:  # noqa: BLE001 - a broken scene is a problem of the soak, reported
                    sync.problems.append(f"the soak itself failed: {type(error).__name__}: {error}")
                    sync.outcome = sync.outcome or "error"
                    finished = [sync]
                i += len(finished)
                with printing:
                    for s in finished:
                        done.append(s)
                        mark = "WRONG" if s.problems else "ok   "
                        print(f"[{len(done):4}/{len(syncs)}] {mark} app {index} sync {s.number:4} {s.fault:24} "
                              f"{s.change:16} -> {s.outcome or '?':11} ({s.seconds:.1f}s)"
                              + ("" if s.workloads == WORKLOADS else f" TASTER_WORKLOADS={s.workloads}"), file=sys.stderr, flush=True)
                        for problem in s.problems:
                            print(f"            {problem}", file=sys.stderr, flush=True)
        finally:
            hits = kit.scan(lane.ctx)
            if hits:
                leftovers.secrets.extend(hits)
            lane.scanned = (lane.ctx.scanned_objects, len(lane.ctx.runs), len(lane.ctx.scanned_secrets))
            leftovers.scanned.append(lane.scanned)
            lane.ctx.close()

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for future in [pool.submit(lane_body, i) for i in range(jobs)]:
            future.result()
    seconds = time.monotonic() - started
    left = leftovers.final_check(binary=harness.binary())
    return report(syncs, seconds, args, leftovers, left)


def why(sync: Sync) -> str:
    """What the first failed hook of an erred or interrupted sync said last."""
    failed = next((r for r in sync.runs if r.returncode not in (0, 1)), None)
    return (failed.termination_log.strip() or kit._tail(failed))[:300] if failed else ""


def kit_stack() -> dict[str, str]:
    if not os.environ.get("TESTENV_RUN") or not os.environ.get("TESTENV_KUBE_ADMIN_TOKEN"):
        sys.exit("soak: the local stack is not running: use `make soak`, or `make stack-up` and "
                 "`set -a; . testenv/.run/stack.env; set +a`")
    return dict(os.environ)


def report(syncs: list[Sync], seconds: float, args, leftovers: Leftovers, left: list[str]) -> int:
    runs = [run for s in syncs for run in s.runs]
    wrong = [s for s in syncs if any(p.startswith("WRONG") for p in s.problems)]
    scaled = [s for s in syncs if any(p.startswith("SCALED") for p in s.problems)]
    lost = [s for s in syncs if any(p.startswith(("LOST", "PARTIAL")) for p in s.problems)]
    pointers = [s for s in syncs if any(p.startswith("POINTER") for p in s.problems)]
    other = [s for s in syncs if s.problems and s not in wrong + scaled + lost + pointers]
    faults = Counter(s.fault for s in syncs)
    # Syncs whose TASTER_WORKLOADS differs from the sync before them in their app.
    previous: dict[int, str] = {}
    varied = overlapped = 0
    for s in sorted(syncs, key=lambda s: s.number):
        if s.workloads != previous.get(s.lane, WORKLOADS):
            varied += 1
            before = [p for p in syncs if p.lane == s.lane and p.number < s.number]
            overlapped += bool(before and before[-1].fault == "overlap" and s.fault == "overlap")
        previous[s.lane] = s.workloads
    outcomes = Counter(s.outcome for s in syncs)
    peak = max((r.peak_rss_kb or 0 for r in runs), default=0)
    slowest = max(((r.seconds, r.args[0], s.number, s.fault) for s in syncs for r in s.runs), default=(0, "", 0, ""))
    objects = sum(o for o, _, _ in leftovers.scanned)
    rows = [
        ("syncs", str(len(syncs))),
        ("faults", ", ".join(f"{k} {faults[k]}" for k in ["none", *FAULTS] if faults[k])),
        ("workload lists changed", f"{varied} syncs (TASTER_WORKLOADS other than the sync before), {overlapped} of them "
                                   "the second of two overlapping syncs"),
        ("outcomes", ", ".join(f"{k} {outcomes[k]}" for k in ("pass", "fail", "error", "interrupted") if outcomes[k])),
        ("wrong verdicts", str(len(wrong))),
        ("apps left scaled", str(len(scaled))),
        ("reports lost or partial", str(len(lost))),
        ("pointers at a partial run", str(len(pointers))),
        ("secrets found", str(len(leftovers.secrets))),
        ("left behind", str(len(left))),
        ("other problems", str(len(other))),
        ("peak RSS", f"{peak / 1024:.0f} MB"),
        ("slowest run", f"{slowest[0]:.1f} s ({slowest[1]}, sync {slowest[2]}, {slowest[3]})"),
        ("wall time", f"{seconds / 60:.1f} min ({args.jobs} apps side by side), {len(runs)} runs of taster"),
    ]
    print()
    print(f"SOAK (SOAK_SEED={args.seed})")
    for label, value in rows:
        print(f"  {label:26} {value}")
    print(f"  {'secret scan':26} {len(runs)} runs and {objects} stored objects")
    (Path(os.environ["TESTENV_RUN"]) / "soak" / "results.json").write_text(json.dumps({
        "seed": args.seed, "seconds": round(seconds, 1), "table": dict(rows), "leftBehind": left,
        "secrets": leftovers.secrets,
        "syncs": [{"number": s.number, "app": s.lane, "fault": s.fault, "phase": s.phase, "change": s.change,
                   "workloads": s.workloads,
                   "truthChanged": s.truth_changed, "outcome": s.outcome, "seconds": round(s.seconds, 1),
                   "problems": s.problems, "why": why(s),
                   "runs": [f"{' '.join(r.args)} -> {r.returncode} in {r.seconds:.1f}s" for r in s.runs]} for s in syncs],
    }, indent=2))
    if args.markdown:
        print()
        print("| " + " | ".join(label for label, _ in rows[:-1]) + " |")
        print("| " + " | ".join("---" for _ in rows[:-1]) + " |")
        print("| " + " | ".join(value for _, value in rows[:-1]) + " |")
    failed = wrong or scaled or lost or pointers or other or leftovers.secrets or left
    if failed:
        print()
        print(f"SOAK FAILED: {len(wrong)} wrong verdicts, {len(scaled)} apps left scaled, {len(lost)} reports lost or "
              f"partial, {len(pointers)} pointers at a partial run, {len(leftovers.secrets)} secrets, {len(left)} left "
              f"behind, {len(other)} other problems (SOAK_SEED={args.seed})")
        for s in syncs:
            for problem in s.problems:
                print(f"  sync {s.number} ({s.fault}, {s.phase or '-'}, {s.change}): {problem}")
                for run in s.runs:
                    print(f"      $ taster {' '.join(run.args)} -> {run.returncode} in {run.seconds:.1f}s")
        for item in leftovers.secrets + left:
            print(f"  {item}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
