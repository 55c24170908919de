#!/usr/bin/env python3
"""Measures libmongoc's server selection against a database that starts late.

    .venv/bin/python bench/selection_cooldown.py

Compiles selection_probe.c, then for a single-threaded client and for a pool: starts the probe
against a free port where nothing listens yet, starts SecantusDB there after 1 s, and prints each
ping. A single-threaded client tries once per selection (a failed ping returns at once) and then
will not try the server again for 5 s after a failure; a pool keeps selecting until
serverSelectionTimeoutMS and sees the server within ~0.5 s of it starting.
"""
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import stack

HERE = Path(__file__).resolve().parent


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="taster-selection-"))
    probe = work / "probe"
    flags = subprocess.run(["pkg-config", "--cflags", "--libs", "libmongoc-1.0"], check=True,
                           capture_output=True, text=True).stdout.split()
    subprocess.run(["cc", "-O2", "-o", str(probe), str(HERE / "selection_probe.c"), *flags], check=True)
    for mode in ("single", "pool"):
        port = stack.free_port()
        uri = f"mongodb://127.0.0.1:{port}/?serverSelectionTimeoutMS=3000&connectTimeoutMS=1000"
        runner = subprocess.Popen([str(probe), uri, "12", mode], stdout=subprocess.PIPE, text=True)
        time.sleep(1.0)
        started = time.monotonic()
        server = stack.start_mongo(port, work / f"data-{mode}", work / f"{mode}.log")
        try:
            stack.wait_until(lambda: stack.mongo_ready(port), 30, "SecantusDB", server)
            up = time.monotonic() - started + 1.0
            output, _ = runner.communicate(timeout=30)
        finally:
            stack.stop_pid(server.pid)
        print(f"== {mode}: server started at ~1.0 s, answered pymongo at ~{up:.1f} s")
        print("  start   took  result")
        for line in output.splitlines():
            print("  " + line[:150])
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
