#!/usr/bin/env python3
"""The reliability campaign: faults, bad inputs and secrets, run through the real `taster`
binary on the local stack (README, "Reliability").

    scripts/with-stack.sh .venv/bin/python testenv/chaos/campaign.py [-k TEXT] [--jobs N] [--list]

Each case sets up a scene of its own (namespace, collections, report prefix, private servers,
a fault proxy), runs taster and classifies the outcome:

  survived       the run succeeded as it should
  failed closed  non-zero with the right exit code, the message naming what failed, no pass
                 verdict, no pointer to a partial run, replicas restored where the workflow owns them
  wrong          anything else: a hang, a pass on lost data, a wrong code, a leak, replicas left
                 scaled, a missing message

Every run's stdout, stderr and termination message, and every object the case's runs stored,
are scanned for every secret in the runs' environments. Prints the figures table and the
per-case list; writes testenv/.run/chaos/results.json; exits 1 when a case is wrong or a secret
leaked.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from chaos import kit
from chaos import cases_evidence  # noqa: F401 - the imports register the cases
from chaos import cases_input  # noqa: F401
from chaos import cases_kubernetes  # noqa: F401
from chaos import cases_mongo  # noqa: F401
from chaos import cases_platform  # noqa: F401
from chaos import cases_postgres  # noqa: F401
from chaos import cases_process  # noqa: F401
from chaos import cases_s3  # noqa: F401
from chaos import cases_secrets  # noqa: F401

AREAS = ["MongoDB", "PostgreSQL", "S3", "evidence", "Kubernetes", "bad input", "checks file", "process", "deadline", "metrics", "credentials",
         "secrets"]


def stack_environment() -> dict[str, str]:
    if not os.environ.get("TESTENV_RUN") or not os.environ.get("TESTENV_KUBE_ADMIN_TOKEN"):
        sys.exit("campaign: the local stack is not running: use `make chaos`, or `make stack-up` and "
                 "`set -a; . testenv/.run/stack.env; set +a`")
    return dict(os.environ)


def figures(results: list[kit.Result]) -> list[tuple[str, int]]:
    count = lambda outcome: sum(1 for r in results if r.outcome == outcome)  # noqa: E731
    return [("cases run", len(results)), ("survived", count(kit.SURVIVED)), ("failed closed", count(kit.FAILED_CLOSED)),
            ("wrong", count(kit.WRONG)), ("secret hits", sum(len(r.secret_hits) for r in results))]


def markdown(results: list[kit.Result], seconds: float) -> str:
    rows = ["| cases run | survived | failed closed | wrong | secret hits |", "| ---: | ---: | ---: | ---: | ---: |",
            "| " + " | ".join(str(v) for _, v in figures(results)) + " |"]
    return "\n".join(rows) + f"\n\nWall time {seconds:.0f} s."


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", dest="filter", help="only cases whose area or title contains TEXT (case-insensitive)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("CHAOS_JOBS", "4")),
                        help="cases run at once (default 4, CHAOS_JOBS); each has its own namespace, prefix and servers")
    parser.add_argument("--list", action="store_true", help="list the cases and what each expects, run nothing")
    parser.add_argument("-v", "--verbose", action="store_true", help="also list each case's runs: exit code and seconds")
    parser.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for README)")
    args = parser.parse_args()

    cases = sorted(kit.CASES, key=lambda c: AREAS.index(c.area) if c.area in AREAS else len(AREAS))
    if args.filter:
        needle = args.filter.lower()
        cases = [c for c in cases if needle in c.area.lower() or needle in c.title.lower()]
    if args.list:
        for c in cases:
            print(f"{c.area:12} {c.title:60} {c.expect}")
        print(f"{len(cases)} cases")
        return 0
    if not cases:
        print("campaign: no case matches", file=sys.stderr)
        return 2

    stack = stack_environment()
    problems = kit.preflight(stack)
    if problems:
        print("campaign: the secret scan cannot be trusted:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 1
    work = Path(stack["TESTENV_RUN"]) / "chaos"
    shutil.rmtree(work, ignore_errors=True)  # the last campaign's scenes: private databases, kubeconfigs
    work.mkdir(parents=True, exist_ok=True)
    locks: dict[str, threading.Lock] = {}
    for c in cases:
        for name in c.locks:
            locks.setdefault(name, threading.Lock())
    printing = threading.Lock()
    done = [0]

    def one(c: kit.Case) -> kit.Result:
        held = [locks[name] for name in sorted(c.locks)]
        for lock in held:
            lock.acquire()
        try:
            result = kit.run_case(stack, c, work)
        finally:
            for lock in reversed(held):
                lock.release()
        with printing:
            done[0] += 1
            mark = {"survived": "ok  ", "failed closed": "ok  ", "wrong": "WRONG"}[result.outcome]
            print(f"[{done[0]:3}/{len(cases)}] {mark} {c.area}: {c.title} -> {result.outcome} ({result.seconds:.1f}s)",
                  file=sys.stderr, flush=True)
            for problem in result.problems:
                print(f"          {problem}", file=sys.stderr, flush=True)
        return result

    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(one, cases))
    seconds = time.monotonic() - started

    print()
    print("RELIABILITY CAMPAIGN")
    for label, value in figures(results):
        print(f"  {label:14} {value:4}")
    print(f"  wall time      {seconds:.0f}s ({args.jobs} at a time)")
    runs = sum(r.runs for r in results)
    secrets = len(frozenset().union(*(r.scanned_secrets for r in results)))
    objects = sum(r.scanned_objects for r in results)
    print(f"  scanned        {runs} runs (stdout, stderr, termination message) and {objects} stored objects "
          f"for {secrets} distinct secret values")
    print()
    width = max(len(r.case.title) for r in results)
    print(f"{'AREA':12} {'CASE':{width}}  {'OUTCOME':13} {'TIME':>6}  EXPECTED")
    for r in results:
        print(f"{r.case.area:12} {r.case.title:{width}}  {r.outcome:13} {r.seconds:5.1f}s  {r.case.expect}")
        for problem in r.problems:
            print(f"{'':12}   ! {problem}")
        for note in r.notes:
            print(f"{'':12}   · {note}")
        if args.verbose or r.outcome == kit.WRONG:
            for line in r.trail:
                print(f"{'':12}   $ taster {line}")
    if args.markdown:
        print()
        print(markdown(results, seconds))
    (work / "results.json").write_text(json.dumps({
        "figures": dict(figures(results)), "seconds": round(seconds, 1), "jobs": args.jobs,
        "scanned": {"runs": runs, "objects": objects, "secrets": secrets},
        "cases": [r.as_dict() for r in results]}, indent=2))
    wrong = [r for r in results if r.outcome == kit.WRONG]
    hits = sum(len(r.secret_hits) for r in results)
    if wrong or hits:
        # Last, so that a log cut to its tail (CI) still says which case failed and why.
        print()
        print(f"CAMPAIGN FAILED: {len(wrong)} wrong, {hits} secret hits")
        for r in results:
            if r.outcome == kit.WRONG or r.secret_hits:
                print(f"  {r.case.area}: {r.case.title} -> {r.outcome}")
                for problem in r.problems:
                    print(f"    ! {problem}")
    return 1 if wrong or hits else 0


if __name__ == "__main__":
    sys.exit(main())
