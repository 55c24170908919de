"""How long after the emulator marks a workload ready `kubectl rollout status` returns: the
yardstick taster's own readiness wait is compared with (README of kubeemu, issue 5)."""
from __future__ import annotations

import json
import os
import statistics
import subprocess
import time
from pathlib import Path

from kube import apply, deployment, wait_for

TRIES = 10


def measure(stack, emu, ns: str, env: dict) -> list[float]:
    kubectl = str(Path(stack["TESTENV_BIN"]) / "kubectl")
    delays = []
    for attempt in range(TRIES):
        name = f"web{attempt}"
        emu.workload(ns, "deployment", name, readyDelaySeconds=None)
        apply(stack, deployment(name, ns, replicas=1))
        mark = emu.mark()
        process = subprocess.Popen([kubectl, "rollout", "status", f"deployment/{name}", "-n", ns, "--timeout=30s"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **env})
        wait_for(lambda: emu.requests(since=mark, namespace=ns, verb="watch"), what="kubectl's watch")
        time.sleep(0.15)  # let it take the first event and settle into waiting
        ready_at = emu.ready(ns, "deployment", name)["readyAt"]
        process.wait(timeout=30)
        ended = time.time()
        assert process.returncode == 0, process.stderr.read()
        delays.append(ended - ready_at)
    return delays


def test_kubectl_rollout_status_reaction_time(stack, emu, ns):
    results = {}
    for label, env in (("watchlist", {}), ("list-watch", {"KUBE_FEATURE_WatchListClient": "false"})):
        delays = measure(stack, emu, ns, env)
        results[label] = {"tries": len(delays), "p50_ms": round(statistics.median(delays) * 1000, 1),
                          "max_ms": round(max(delays) * 1000, 1)}
        emu.reset(ns)
    out = Path(stack["TESTENV_RUN"]) / "kubectl-rollout-reaction.json"
    out.write_text(json.dumps(results, indent=2))
    print(f"\nkubectl rollout status reaction after the emulator marked ready: {json.dumps(results)}")
    for label, numbers in results.items():
        assert numbers["max_ms"] < 2000, (label, numbers)
