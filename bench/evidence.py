"""The document index (issue 15) in `make bench`: what naming the changed documents costs a
fingerprint check, at 100,000 and 1,000,000 documents.

- pre-taste with the index against the plain fingerprint (`evidence: none`): wall, CPU, memory;
- post-taste (the comparison of the two indexes included) against the plain fingerprint;
- the stored index's bytes per document;
- taster's CPU per million documents indexed (a whole pre-taste: read, fingerprint, index,
  upload) against pymongo's CPU for merely reading the same documents in the same order;
- peak memory at both sizes, to show it does not grow with the count.

Run on its own against a running stack: `.venv/bin/python bench/evidence.py` (TASTER_BINARY,
BENCH_RUNS, BENCH_EVIDENCE_SIZES=100000,1000000, BENCH_EVIDENCE_LARGE_RUNS for the largest size).
"""
from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

import benchkit as harness

HERE = Path(__file__).resolve().parent
FIELDS = ["status", "total", "customer", "n"]


def cases(seed, taster_env, taster: str, runs: int, sizes: list[int], large_runs: int, tmp: Path,
          log, database: str) -> tuple[list[harness.Result], list[str]]:
    results: list[harness.Result] = []
    extra: list[str] = []
    for size in sizes:
        name = f"bench-evidence-{size}"
        seed(name, size)
        checks = {}
        for evidence in ("documents", "none"):
            path = tmp / f"{name}-{evidence}.yaml"
            # Named after the collection, the fingerprint replaces its default count.
            path.write_text(f"checks:\n  - name: {name}\n    kind: fingerprint\n    collection: {name}\n"
                            f"    fields: [{', '.join(FIELDS)}]\n    evidence: {evidence}\n")
            checks[evidence] = str(path)
        prefix = f"bench/evidence-{uuid.uuid4().hex[:8]}"
        count = runs if size < 1_000_000 else large_runs
        warmup = 1 if size < 1_000_000 else 0

        def env(evidence: str, run_id: str) -> dict[str, str]:
            return taster_env(TASTER_COLLECTIONS=name, TASTER_CHECKS=checks[evidence], TASTER_PREFIX=prefix,
                              TASTER_RUN_ID=run_id, TASTER_DEADLINE="30m")

        def pre(evidence: str):
            def measure(run: int) -> harness.Sample:
                return harness.run_command([taster, "pre-taste"], env(evidence, f"pre-{evidence}-{uuid.uuid4().hex[:8]}"), timeout=1800)
            return measure

        def post(evidence: str):
            def measure(run: int) -> harness.Sample:
                run_id = f"post-{evidence}-{uuid.uuid4().hex[:8]}"
                harness.run_command([taster, "pre-taste"], env(evidence, run_id), timeout=1800)
                return harness.run_command([taster, "post-taste", "--run-id", run_id], env(evidence, run_id), timeout=1800)
            return measure

        plain = "the plain fingerprint (evidence: none)"
        case = f"document index, {size:,} documents"
        log(f"== {case}")
        results += harness.side_by_side(f"{case}: pre-taste", harness.Side("pre-taste with the index", pre("documents")),
                                        harness.Side(f"pre-taste, {plain}", pre("none")), runs=count, warmup=warmup,
                                        target="≤ 1.25", target_ratio=1.25, log=log)
        results += harness.side_by_side(f"{case}: post-taste", harness.Side("post-taste comparing the indexes", post("documents")),
                                        harness.Side(f"post-taste, {plain}", post("none")), runs=count, warmup=warmup,
                                        target="≤ 1.3", target_ratio=1.3, log=log)
        fields = [name] + FIELDS
        cpu = harness.side_by_side(
            f"{case}: CPU", harness.Side("pre-taste with the index (read, fingerprint, index, upload)", pre("documents")),
            harness.Side("pymongo only reading the same documents in _id order", lambda run: harness.run_command(
                [sys.executable, str(HERE / "read_documents.py"), database, *fields], os.environ, timeout=1800)),
            runs=count, warmup=warmup, cpu_target="≤ 1", cpu_target_ratio=1.0, log=log)
        results += [r for r in cpu if r.metric == "CPU (user+sys)"]
        # The floor of the wall targets: what reading in `_id` order (which the index needs, and
        # the plain fingerprint does not) costs this server, for a client that does nothing else.
        read = lambda *flags: lambda run: harness.run_command(
            [sys.executable, str(HERE / "read_documents.py"), *flags, database, *fields], os.environ, timeout=1800)
        results += harness.side_by_side(
            f"{case}: the floor", harness.Side("pymongo reading in _id order", read()),
            harness.Side("pymongo reading in natural order", read("--unsorted")), runs=count, warmup=warmup, log=log)[:1]
        per_million = [r for r in cpu if r.metric == "CPU (user+sys)"][0]
        median = lambda values: sorted(values)[len(values) // 2]
        extra.append(f"| CPU seconds per million documents, {size:,}: taster indexing / pymongo reading | "
                     f"{median(per_million.a_values) / size * 1e6:.2f} s / {median(per_million.b_values) / size * 1e6:.2f} s | ≤ 1× |")
        stored = index_record(prefix, name)
        extra.append(f"| stored index, {size:,} documents (ObjectId `_id`, four fields) | {stored['bytes']:,} bytes: "
                     f"{stored['bytes'] / stored['documents']:.1f} bytes a document | ≤ 32 |")
    return results, extra


def index_record(prefix: str, check: str) -> dict:
    client = harness_s3()
    bucket = os.environ["TASTER_BUCKET"]
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket, Prefix=prefix + "/runs/pre-documents").get("Contents", [])
            if item["Key"].endswith("/pre.json")]
    report = json.loads(client.get_object(Bucket=bucket, Key=keys[0])["Body"].read())
    return next(c for c in report["snapshot"]["checks"] if c["name"] == check)["index"]


def harness_s3():
    import boto3
    return boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])


def main() -> None:
    import datetime
    import tempfile
    import run as bench  # bench/run.py: seeding and the taster environment
    sizes = [int(s) for s in os.environ.get("BENCH_EVIDENCE_SIZES", "100000,1000000").split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        results, extra = cases(bench.seed, bench.taster_env, bench.TASTER, bench.RUNS, sizes,
                               int(os.environ.get("BENCH_EVIDENCE_LARGE_RUNS", "1")), Path(tmp), bench.log, bench.DATABASE)
    text = (f"# taster benchmarks: the document index, {datetime.date.today().isoformat()}\n\n{harness.machine()}\n\n"
            f"{harness.table(results)}\n\n| measurement | value | target |\n| --- | --- | --- |\n" + "\n".join(extra) + "\n")
    out = HERE / "results" / f"{datetime.date.today().isoformat()}-evidence.md"
    out.write_text(text)
    print(text)
    bench.log(f"wrote {out}")


if __name__ == "__main__":
    main()
