"""S3: the report store goes away for a while or for good, answers 503 SlowDown and 500 (through
the fault proxy in front of SeaweedFS), refuses the key, the secret, the bucket or a clock 20
minutes off, and holds baselines that are missing, damaged or far too large."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys

import harness
import stack as stacklib
from chaos.kit import PRE, Ctx, case


def answered(proxy, method: str, path: str, answer: str) -> int:
    return sum(1 for r in proxy.answered(method, path) if r["answer"].startswith(answer))


# Cases where S3 fails for longer than they wait set this budget, so they end in seconds.
SHORT_BUDGET = {"TASTER_S3_RETRY_BUDGET": "5s"}


@case("S3", "down for 5 s during the upload of pre.json",
      "survive: retried within TASTER_S3_RETRY_BUDGET (60 s) until it came back, each wait logged")
def down_five_seconds(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="down", seconds=5)
    run = c.run("pre-taste")
    tries = len(proxy.answered("PUT", PRE))
    c.note(f"pre-taste exited {run.returncode} after {run.seconds:.1f}s; {tries} PUT(s) reached the proxy")
    c.check("of TASTER_S3_RETRY_BUDGET=60s used" in run.stderr, "the waits did not say how much of the budget was used")
    c.survived(run)


@case("S3", "down for longer than TASTER_S3_RETRY_BUDGET", "exit 3 naming the endpoint and the budget once it is spent; no pointer")
def down_past_budget(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="down", seconds=30)
    run = c.run("pre-taste", env=SHORT_BUDGET)
    c.note(f"pre-taste exited {run.returncode} after {run.seconds:.1f}s")
    c.check(run.seconds < 25, f"{run.seconds:.1f}s: the 5 s budget did not bound the retries")
    c.failed_closed(run, 3, proxy.url.split("//")[1], "TASTER_S3_RETRY_BUDGET=5s")


@case("S3", "down for good", "exit 3 naming the endpoint after retries bounded by TASTER_S3_RETRY_BUDGET; nothing scaled")
def down_for_good(c: Ctx) -> None:
    c.app(seed=False)
    endpoint = f"http://127.0.0.1:{stacklib.free_port()}"
    mark = c.control.mark()
    run = c.run("pre-taste", env={"AWS_ENDPOINT_URL": endpoint, **SHORT_BUDGET})
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 3, endpoint.split("//")[1], ("could not connect", "connect"))


@case("S3", "gone for good during post-taste", "exit 3 naming the endpoint; no verdict; replicas put back")
def gone_during_post(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="PUT", path=r"/post\.json$", action="down", seconds=300)
    run = c.run("post-taste", env=SHORT_BUDGET)
    c.failed_closed(run, 3, proxy.url.split("//")[1])


@case("S3", "503 SlowDown twice on the upload", "survive: retried (honouring Retry-After)")
def slowdown_twice(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="slowdown", count=2)
    run = c.run("pre-taste")
    c.check(answered(proxy, "PUT", PRE, "503 SlowDown") == 2, "the two SlowDown answers were not met")
    c.survived(run)


@case("S3", "503 SlowDown on every upload",
      "exit 3 naming SlowDown and the spent TASTER_S3_RETRY_BUDGET; backing off, not hammering; replicas put back, no pointer")
def slowdown_always(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="slowdown", count=None)
    run = c.run("pre-taste", env=SHORT_BUDGET)
    attempts = answered(proxy, "PUT", PRE, "503")
    c.note(f"{attempts} attempts in {run.seconds:.1f}s")
    c.check(2 <= attempts <= 12, f"{attempts} attempts in a 5 s budget: not an exponential backoff from 0.5 s")
    c.failed_closed(run, 3, "SlowDown", "pre.json", "TASTER_S3_RETRY_BUDGET=5s")


@case("S3", "500 twice on reading the baseline pointer", "survive: retried")
def internal_error_reads(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="GET", path=r"/latest-pre\.json$", action="status", status=500, count=2)
    run = c.run("post-taste")
    c.check(answered(proxy, "GET", r"/latest-pre\.json$", "500") == 2, "the two 500 answers were not met")
    c.survived(run)


@case("S3", "500 on every upload of verdict.json", "exit 3 naming the verdict upload; no verdict; replicas put back")
def internal_error_verdict(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="PUT", path=r"/verdict\.json$", action="status", status=500, count=None)
    run = c.run("post-taste", env=SHORT_BUDGET)
    c.check(not any(k.endswith("verdict.json") for k in c.app().objects()), "a verdict was stored")
    c.failed_closed(run, 3, "verdict.json", ("InternalError", "500"))


@case("S3", "connections dropped twice on the upload", "survive: retried")
def dropped(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="drop", count=2)
    run = c.run("pre-taste")
    c.check(answered(proxy, "PUT", PRE, "drop") == 2, "the two drops were not met")
    c.survived(run)


@case("S3", "the answer to the upload of pre.json lost",
      "survive: the retry finds the object it stored (PreconditionFailed), reads it back, identical")
def answer_lost(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="lose")
    run = c.run("pre-taste")
    answers = [r["answer"] for r in proxy.answered("PUT", PRE)]
    c.note(f"the PUTs of pre.json were answered: {', '.join(answers)}")
    c.check(answers[:1] == ["lost 200"] and any(a.startswith("412") for a in answers[1:]),
            "the lost answer and the retry's PreconditionFailed were not met")
    c.survived(run)


@case("S3", "the answer to the pointer write lost, then S3 down",
      "exit 3 saying the baseline is complete and the pointer may name it; replicas put back")
def pointer_answer_lost(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=r"/latest-pre\.json$", action="lose")
    proxy.fault(method="PUT", path=r"/latest-pre\.json$", action="down", seconds=15)
    run = c.run("pre-taste", env=SHORT_BUDGET)
    pointer = c.app().pointer() or {}
    c.note(f"latest-pre.json names run {pointer.get('runId')}")
    c.check(pointer.get("runId", "") in run.stderr, "the pointer the store applied does not name this run")
    c.failed_closed(run, 3, "latest-pre.json to it failed", "is stored and complete", "--run-id")


@case("S3", "a wrong secret key", "exit 3 saying SignatureDoesNotMatch and to check the secret key; nothing scaled")
def wrong_secret(c: Ctx) -> None:
    c.app(seed=False)
    mark = c.control.mark()
    run = c.run("pre-taste", env={"AWS_SECRET_ACCESS_KEY": stacklib.random_secret(32, "/+")})
    c.no_kubernetes_call(mark, method="PATCH")
    c.no_upload()
    c.failed_closed(run, 3, "SignatureDoesNotMatch", "secret key")


@case("S3", "an unknown access key", "exit 3 saying InvalidAccessKeyId and naming AWS_ACCESS_KEY_ID; nothing scaled")
def unknown_key(c: Ctx) -> None:
    c.app(seed=False)
    mark = c.control.mark()
    run = c.run("pre-taste", env={"AWS_ACCESS_KEY_ID": "AKIACHAOSUNKNOWN0001"})
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 3, "InvalidAccessKeyId", "AWS_ACCESS_KEY_ID")


@case("S3", "a bucket that does not exist", "exit 3 naming the bucket; nothing scaled")
def missing_bucket(c: Ctx) -> None:
    c.app(seed=False)
    mark = c.control.mark()
    run = c.run("pre-taste", env={"TASTER_BUCKET": "no-such-bucket-chaos"})
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 3, "no-such-bucket-chaos", ("NoSuchBucket", "does not exist", "TASTER_BUCKET"))


@case("S3", "a key that may read but not write", "exit 3 saying AccessDenied; replicas put back, no pointer")
def read_only_key(c: Ctx) -> None:
    c.app()
    run = c.run("pre-taste", env={"AWS_ACCESS_KEY_ID": c.stack["TESTENV_S3_READ_ACCESS_KEY_ID"],
                                  "AWS_SECRET_ACCESS_KEY": c.stack["TESTENV_S3_READ_SECRET_ACCESS_KEY"]})
    c.failed_closed(run, 3, "AccessDenied", "pre.json")


@case("S3", "the signing clock 20 minutes ahead",
      "SeaweedFS refuses the skew; exit 3 saying RequestTimeTooSkewed and to fix the clock; nothing scaled")
def clock_skew(c: Ctx) -> None:
    c.app(seed=False)
    faketime = shutil.which("faketime")
    if not faketime:
        c.violate("faketime is not installed (scripts/ensure-apt.sh faketime)")
        return
    # The store itself refuses a request signed 20 minutes ahead.
    skewed = skewed_request_code(c, faketime, "+20m")
    c.check(skewed == "RequestTimeTooSkewed", f"SeaweedFS answered {skewed!r} to a request signed 20 minutes ahead")
    mark = c.control.mark()
    run = c.run("pre-taste", prefix=[faketime, "-f", "+20m"])
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 3, "RequestTimeTooSkewed", "clock", "NTP")


SKEW_PROBE = """
import sys, boto3, botocore.exceptions
client = boto3.client("s3", endpoint_url=sys.argv[1], region_name=sys.argv[2], aws_access_key_id=sys.argv[3],
                      aws_secret_access_key=sys.argv[4], config=boto3.session.Config(retries={"max_attempts": 1}))
try:
    client.list_objects_v2(Bucket=sys.argv[5], Prefix="chaos/", MaxKeys=1)
    print("accepted")
except botocore.exceptions.ClientError as error:
    print(error.response["Error"]["Code"])
"""


def skewed_request_code(c: Ctx, faketime: str, offset: str) -> str:
    """What SeaweedFS answers boto3 signing with a clock `offset` off (faketime, as for taster)."""
    probe = subprocess.run([faketime, "-f", offset, sys.executable, "-c", SKEW_PROBE, c.stack["AWS_ENDPOINT_URL"],
                            c.stack.get("AWS_REGION", "us-east-1"), c.stack["AWS_ACCESS_KEY_ID"],
                            c.stack["AWS_SECRET_ACCESS_KEY"], c.stack["TASTER_BUCKET"]],
                           capture_output=True, text=True, timeout=60)
    return probe.stdout.strip() or probe.stderr.strip()[-200:]


# -- baselines ---------------------------------------------------------------------------------

def damaged_baseline(damage, *says):
    def run(c: Ctx) -> None:
        app = c.app()
        key = c.baseline(restore=True)
        c.baseline_damaged_on_purpose = True
        client = harness.s3_client(c.stack)
        bucket = c.stack["TASTER_BUCKET"]
        body = app.objects().get(key, b"")
        replacement = damage(body)
        if replacement is None:
            client.delete_object(Bucket=bucket, Key=key)
        else:
            client.put_object(Bucket=bucket, Key=key, Body=replacement)
        mark = c.control.mark()
        rss_file = c.work / "rss"
        run = c.run("post-taste", prefix=["/usr/bin/time", "-f", "%M", "-o", str(rss_file)])
        max_rss_mb = int(rss_file.read_text().strip().splitlines()[-1]) / 1024
        c.check(max_rss_mb < 150, f"max RSS {max_rss_mb:.0f} MB: not a small, bounded memory")
        c.no_kubernetes_call(mark, method="PATCH")
        c.check(not any(k.endswith("verdict.json") for k in app.objects()), "a verdict was stored without a baseline")
        c.failed_closed(run, 4, *says)
    return run


BASELINES = [
    ("missing", lambda body: None, ("does not exist",)),
    ("truncated", lambda body: body[: len(body) // 2], ("not valid JSON",)),
    ("not JSON", lambda body: b"<html><body>503 Service Temporarily Unavailable</body></html>", ("not valid JSON",)),
    ("of schemaVersion 9", lambda body: re.sub(rb'"schemaVersion"\s*:\s*\d+', b'"schemaVersion" : 9', body), ("schemaVersion 9",)),
    ("a post report, not a baseline", lambda body: body.replace(b'"phase" : "pre"', b'"phase" : "post"'), ("not a baseline",)),
    ("40 MB in the store", lambda body: body[:-2] + b', "padding": "' + b"x" * (40 << 20) + b'"}', ("more than", "limit")),
]

for _title, _damage, _says in BASELINES:
    case("S3", f"a baseline {_title}", "exit 4 saying why; nothing scaled, no verdict")(
        damaged_baseline(_damage, *_says))


@case("S3", "a baseline pointer that is not JSON", "exit 4 naming latest-pre.json; nothing scaled")
def pointer_not_json(c: Ctx) -> None:
    app = c.app()
    c.baseline(restore=True)
    c.baseline_damaged_on_purpose = True
    harness.s3_client(c.stack).put_object(Bucket=c.stack["TASTER_BUCKET"], Key=f"{app.prefix}/latest-pre.json", Body=b"{not json")
    mark = c.control.mark()
    run = c.run("post-taste")
    c.no_kubernetes_call(mark, method="PATCH")
    c.failed_closed(run, 4, "latest-pre.json")


@case("S3", "a baseline of 1 GiB", "exit 4 without downloading it: a few MB read, bounded memory, quick")
def huge_baseline(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline(restore=True)
    proxy.fault(method="GET", path=PRE, action="large", size=1 << 30, count=None)
    proxy.fault(method="HEAD", path=PRE, action="large", size=1 << 30, count=None)
    rss_file = c.work / "rss"
    mark = c.control.mark()
    run = c.run("post-taste", prefix=["/usr/bin/time", "-f", "%M", "-o", str(rss_file)])
    c.no_kubernetes_call(mark, method="PATCH")
    max_rss_mb = int(rss_file.read_text().strip().splitlines()[-1]) / 1024
    sent_mb = proxy.bytes_sent / (1 << 20)
    c.note(f"read {sent_mb:.1f} MB of the 1024 MB object; max RSS {max_rss_mb:.0f} MB; {run.seconds:.1f}s")
    c.check(answered(proxy, "GET", PRE, "large") >= 1, "taster never asked for the large object")
    c.check(sent_mb < 64, f"{sent_mb:.0f} MB of the object were sent before taster refused it")
    c.check(max_rss_mb < 150, f"max RSS {max_rss_mb:.0f} MB: not a small, bounded memory")
    c.check(run.seconds < 20, f"refusing it took {run.seconds:.1f}s")
    c.failed_closed(run, 4, "more than", "limit")
