"""Peak memory of the document index at several sizes (issue 15, item 5): pre-taste writing the
index and post-taste comparing two, with the plain fingerprint (`evidence: none`) beside them, so
the growth with the count — or its absence — is read off one table.

Run on its own against a running stack (`make stack-up`, stack.env sourced):
`.venv/bin/python bench/evidence_memory.py` (TASTER_BINARY, BENCH_EVIDENCE_SIZES=100000,300000,1000000,
BENCH_RUNS: runs per size, the median is shown). Writes bench/results/<date>-evidence-memory.md.
"""
from __future__ import annotations

import datetime
import os
import statistics
import tempfile
import uuid
from pathlib import Path

import benchkit as harness
import run as bench  # bench/run.py: seeding and the taster environment
from evidence import FIELDS, index_record

HERE = Path(__file__).resolve().parent


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_EVIDENCE_SIZES", "100000,300000").split(",")]
    runs = int(os.environ.get("BENCH_RUNS", "1"))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            name = f"bench-evidence-{size}"
            bench.seed(name, size)
            for evidence in ("documents", "none"):
                checks = Path(tmp) / f"{name}-{evidence}.yaml"
                checks.write_text(f"checks:\n  - name: {name}\n    kind: fingerprint\n    collection: {name}\n"
                                  f"    fields: [{', '.join(FIELDS)}]\n    evidence: {evidence}\n")
                prefix = f"bench/evidence-memory-{uuid.uuid4().hex[:8]}"
                pre_anon, post_anon, pre_rss, post_rss = [], [], [], []
                for _ in range(runs):
                    run_id = f"pre-{evidence}-{uuid.uuid4().hex[:8]}"
                    env = bench.taster_env(TASTER_COLLECTIONS=name, TASTER_CHECKS=str(checks), TASTER_PREFIX=prefix,
                                           TASTER_RUN_ID=run_id, TASTER_DEADLINE="30m")
                    bench.log(f"== {size:,} documents, evidence: {evidence}")
                    pre = harness.run_command([bench.TASTER, "pre-taste"], env, timeout=1800)
                    post = harness.run_command([bench.TASTER, "post-taste", "--run-id", run_id], env, timeout=1800)
                    pre_anon.append(pre.anon_mb)
                    post_anon.append(post.anon_mb)
                    pre_rss.append(pre.rss_mb)
                    post_rss.append(post.rss_mb)
                stored = index_record(prefix, name) if evidence == "documents" else {}
                rows.append((size, evidence, statistics.median(pre_anon), statistics.median(post_anon),
                             statistics.median(pre_rss), statistics.median(post_rss), stored.get("bytes")))
    lines = ["| documents | evidence | index bytes | pre-taste: peak anonymous | post-taste: peak anonymous "
             "| pre-taste: peak RSS | post-taste: peak RSS |", "| --- | --- | --- | --- | --- | --- | --- |"]
    for size, evidence, pre_anon, post_anon, pre_rss, post_rss, stored in rows:
        lines.append(f"| {size:,} | {evidence} | {f'{stored:,}' if stored else '—'} | {pre_anon:.1f} MB | {post_anon:.1f} MB "
                     f"| {pre_rss:.1f} MB | {post_rss:.1f} MB |")
    text = (f"# taster benchmarks: the document index's memory, {datetime.date.today().isoformat()}\n\n"
            f"{harness.machine()}\n- runs per row: {runs} (median)\n\n" + "\n".join(lines) + "\n")
    out = HERE / "results" / f"{datetime.date.today().isoformat()}-evidence-memory.md"
    out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
