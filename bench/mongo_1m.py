#!/usr/bin/env python3
"""Times taster's exact count and fingerprint of 1M documents next to pymongo doing the same.

    swift build -c release --product taster
    .venv/bin/python bench/mongo_1m.py [--documents 1000000] [--rounds 2] [--taster .build/release/taster]

Starts a private SecantusDB (no auth) on a free port, inserts the documents with pymongo, then in
the same run and against the same server, alternating the tools round by round:
  - count:        pymongo count_documents({})  vs  taster's `count` check
  - iterate:      pymongo iterating the projected documents (_id, status, total) without hashing
  - fingerprint:  pymongo computing taster's documented fingerprint  vs  taster's `fingerprint` check
taster's times are the checks' own durations from `taster snapshot --output json`; counts and
digests must be equal. Prints a table and stops the server. Not a test: numbers depend on the
machine (and here on a SecantusDB written in Python sharing the same cores).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pymongo
from bson import SON, Decimal128
from bson.codec_options import CodecOptions

import stack
from fingerprint import fingerprint  # testenv/fingerprint.py

HERE = Path(__file__).resolve().parent

FIELDS = ["status", "total"]


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=1_000_000)
    parser.add_argument("--taster", default=str(HERE.parent / ".build/release/taster"))
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="taster-bench-"))
    port = stack.free_port()
    server = stack.start_mongo(port, work / "data", work / "mongo.log")
    try:
        stack.wait_until(lambda: stack.mongo_ready(port), 30, "SecantusDB", server)
        uri = f"mongodb://127.0.0.1:{port}/"
        client = pymongo.MongoClient(uri)
        collection = client.bench.orders
        statuses = ["paid", "open", "void", "refunded"]
        (_, seconds) = timed(lambda: [collection.insert_many(
            [{"status": statuses[i % 4], "total": Decimal128(f"{i}.{i % 100:02d}"), "customer": {"id": i % 977, "name": f"c{i}"},
              "note": "x" * 40} for i in range(start, min(start + 20_000, args.documents))], ordered=False)
            for start in range(0, args.documents, 20_000)])
        print(f"inserted {args.documents} documents in {seconds:.1f}s", file=sys.stderr)

        projected = collection.with_options(codec_options=CodecOptions(document_class=SON))
        checks = work / "checks.yaml"
        checks.write_text(json.dumps({"checks": [
            {"name": "fingerprint", "kind": "fingerprint", "collection": "orders", "fields": FIELDS}]}))

        def taster(collections: str, checks_file: Path | None) -> dict:
            env = {"PATH": os.environ.get("PATH", "/usr/bin"), "MONGODB_URI": uri, "TASTER_DATABASE": "bench",
                   "TASTER_COLLECTIONS": collections, "TASTER_DEADLINE": "30m"}
            if checks_file:
                env["TASTER_CHECKS"] = str(checks_file)
            output = subprocess.run([args.taster, "snapshot", "--output", "json"], env=env, check=True,
                                    capture_output=True, text=True).stdout
            return {check["name"]: check for check in json.loads(output)["checks"]}

        # Alternate the tools, one operation at a time, so neither always runs on a cold or a
        # busy server; keep every round. taster measures one check per run ("absent" is only
        # reported missing), as pymongo does one operation.
        times = {key: [] for key in ("py-count", "sw-count", "py-iterate", "py-fp", "sw-fp")}
        for _ in range(args.rounds):
            count, seconds = timed(lambda: collection.count_documents({}))
            times["py-count"].append(seconds)
            result = taster("orders", None)["orders"]
            assert int(result["value"]["int64"]) == count == args.documents, (result, count)
            times["sw-count"].append(result["durationSeconds"])
            iterated, seconds = timed(lambda: sum(1 for _ in projected.find({}, {f: 1 for f in FIELDS}, batch_size=50_000)))
            times["py-iterate"].append(seconds)
            (digest, digested), seconds = timed(
                lambda: fingerprint(projected.find({}, {f: 1 for f in FIELDS}, batch_size=50_000), FIELDS))
            times["py-fp"].append(seconds)
            result = taster("absent", checks)["fingerprint"]
            assert result["value"]["digest"] == digest and int(result["documents"]) == digested == iterated, (result, digest)
            times["sw-fp"].append(result["durationSeconds"])

        def cell(values):
            return " / ".join(f"{v:.1f}s" for v in values)

        def rate(values):
            return f"{args.documents / min(values):,.0f}"

        print(f"{args.documents} documents, SecantusDB {client.server_info()['version']}, {args.taster}, "
              f"{args.rounds} rounds (each round: pymongo, then taster)")
        print(f"{'operation':28} {'pymongo':>18} {'taster':>18}  {'pymongo docs/s':>14} {'taster docs/s':>14}  (best round)")
        print(f"{'countDocuments':28} {cell(times['py-count']):>18} {cell(times['sw-count']):>18}  "
              f"{rate(times['py-count']):>14} {rate(times['sw-count']):>14}")
        print(f"{'iterate projected (no hash)':28} {cell(times['py-iterate']):>18} {'':>18}  {rate(times['py-iterate']):>14}")
        print(f"{'fingerprint':28} {cell(times['py-fp']):>18} {cell(times['sw-fp']):>18}  "
              f"{rate(times['py-fp']):>14} {rate(times['sw-fp']):>14}")
        print(f"digests equal: {digest}")
    finally:
        stack.stop_pid(server.pid)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
