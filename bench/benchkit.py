"""The benchmark harness: run A and B side by side, alternating, after a warm-up; report
medians with min–max and the ratio A/B pair by pair. The machine is shared and noisy, so the
ratios — measured in the same invocation — are the result, not the absolute times."""
from __future__ import annotations

import dataclasses
import os
import platform
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable


@dataclasses.dataclass
class Sample:
    seconds: float
    rss_mb: float | None = None
    anon_mb: float | None = None
    cpu_s: float | None = None      # user + system seconds of the command (and its children)


class AnonymousMemory:
    """Samples a process's anonymous memory (`Anonymous:` in /proc/PID/smaps_rollup: heap,
    stacks, dirty copies — what the process itself costs the node, unlike the clean pages of code
    mapped from files, which peak RSS also counts and the page cache shares) every `interval`
    seconds on a thread, keeping the peak. /usr/bin/time's child is the measured process."""

    def __init__(self, parent: int, interval: float = 0.002) -> None:
        self.parent, self.interval, self.peak_kb = parent, interval, 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.parent}/task/{self.parent}/children").read_text().split()
        except OSError:
            return []
        return [int(pid) for pid in children]

    def _sample(self) -> None:
        while not self._done.is_set():
            for pid in self._pids():
                try:
                    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                        if line.startswith("Anonymous:"):
                            self.peak_kb = max(self.peak_kb, int(line.split()[1]))
                except (OSError, ValueError):
                    pass
            time.sleep(self.interval)

    def stop(self) -> float | None:
        self._done.set()
        self._thread.join()
        return self.peak_kb / 1024 if self.peak_kb else None


def run_command(argv: list[str], env: dict[str, str], timeout: float = 600) -> Sample:
    """Wall time (measured here), CPU (user + system, from the kernel's accounting of the
    children this process reaps: /usr/bin/time and the command it waits for), peak RSS (from
    /usr/bin/time) and peak anonymous memory (sampled) of one command; fails loudly when the
    command fails, so a broken run is never measured as a fast one."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        process = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", report.name, *argv], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        sampler = AnonymousMemory(process.pid)
        try:
            _, stderr = process.communicate(timeout=timeout)
        finally:
            if process.poll() is None:
                process.kill()
            anon_mb = sampler.stop()
        seconds = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:3])}… exited {process.returncode}:\n{stderr[-2000:]}")
        lines = [line for line in Path(report.name).read_text().splitlines() if line.strip().isdigit()]
        rss_kb = int(lines[-1]) if lines else None
    return Sample(seconds, rss_kb / 1024 if rss_kb else None, anon_mb, cpu)


@dataclasses.dataclass
class Side:
    label: str
    measure: Callable[[int], Sample]  # called with the run number


@dataclasses.dataclass
class Result:
    case: str
    metric: str
    a: Side
    b: Side
    a_values: list[float]
    b_values: list[float]
    target: str
    target_ratio: float | None      # ratio A/B must be ≤ this (None: report only)
    unit: str = "s"

    @property
    def ratios(self) -> list[float]:
        return [a / b for a, b in zip(self.a_values, self.b_values) if b]

    @property
    def ratio(self) -> float:
        return statistics.median(self.ratios)

    @property
    def met(self) -> str:
        if self.target_ratio is None:
            return "—"
        return "yes" if self.ratio <= self.target_ratio else "**no**"


def side_by_side(case: str, a: Side, b: Side, *, runs: int = 5, warmup: int = 1, target: str = "",
                 target_ratio: float | None = None, rss_target_ratio: float | None = None,
                 rss_target: str = "", cpu_target_ratio: float | None = None, cpu_target: str = "",
                 log: Callable[[str], None] = print) -> list[Result]:
    """Alternates A and B (AB, BA, AB, …) after `warmup` runs of each; returns a wall-time result
    and, when both sides report them, CPU, peak-RSS and peak-anonymous-memory results."""
    for index in range(warmup):
        a.measure(-1 - index)
        b.measure(-1 - index)
    a_samples: list[Sample] = []
    b_samples: list[Sample] = []
    for run in range(runs):
        order = [(a, a_samples), (b, b_samples)] if run % 2 == 0 else [(b, b_samples), (a, a_samples)]
        for side, samples in order:
            samples.append(side.measure(run))
        log(f"  {case} run {run + 1}/{runs}: {a.label} {a_samples[-1].seconds:.3f}s, {b.label} {b_samples[-1].seconds:.3f}s")
    results = [Result(case, "wall", a, b, [s.seconds for s in a_samples], [s.seconds for s in b_samples],
                      target, target_ratio)]
    if all(s.cpu_s is not None for s in a_samples + b_samples):
        results.append(Result(case, "CPU (user+sys)", a, b, [s.cpu_s for s in a_samples], [s.cpu_s for s in b_samples],
                              cpu_target, cpu_target_ratio))
    if all(s.rss_mb for s in a_samples + b_samples):
        results.append(Result(case, "peak RSS", a, b, [s.rss_mb for s in a_samples], [s.rss_mb for s in b_samples],
                              rss_target, rss_target_ratio, unit="MB"))
    if all(s.anon_mb for s in a_samples + b_samples):
        results.append(Result(case, "peak anonymous memory", a, b, [s.anon_mb for s in a_samples],
                              [s.anon_mb for s in b_samples], "", None, unit="MB"))
    return results


def spread(values: list[float], unit: str) -> str:
    def fmt(value: float) -> str:
        if unit == "s":
            return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
        return f"{value:.1f} {unit}"
    return f"{fmt(statistics.median(values))} ({fmt(min(values))}–{fmt(max(values))})"


def table(results: list[Result]) -> str:
    rows = ["| case | metric | A | A: median (min–max) | B | B: median (min–max) | A/B median (min–max) | target | met |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        ratios = r.ratios
        rows.append(f"| {r.case} | {r.metric} | {r.a.label} | {spread(r.a_values, r.unit)} | {r.b.label} | "
                    f"{spread(r.b_values, r.unit)} | {r.ratio:.3f} ({min(ratios):.3f}–{max(ratios):.3f}) | "
                    f"{r.target or '—'} | {r.met} |")
    return "\n".join(rows)


def machine() -> str:
    def first(command: list[str]) -> str:
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return "?"
    model = next((line.split(":", 1)[1].strip() for line in first(["lscpu"]).splitlines()
                  if line.startswith("Model name")), "?")
    memory = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), "0")
    swift = first(["swift", "--version"]).splitlines()[0] if first(["swift", "--version"]) else "?"
    commit = first(["git", "describe", "--always", "--dirty", "--abbrev=7"])
    return (f"- machine: {platform.node()}, {model}, {os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB, "
            f"{platform.system()} {platform.release()}\n- toolchain: {swift}\n- commit: {commit}\n"
            f"- servers: SecantusDB (Python, MongoDB wire protocol) and SeaweedFS on 127.0.0.1, the Kubernetes API emulator")
