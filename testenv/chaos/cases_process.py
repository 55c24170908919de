"""The process: SIGTERM (a Job's activeDeadlineSeconds or deletion) at each stage of pre-taste
and post-taste, SIGINT once, and the run's deadline (TASTER_DEADLINE) or a step's own limit
reached in each wait — the readiness watch, the MongoDB wait, S3 and Kubernetes requests that
hang or keep asking to retry later, a snapshot the server holds, and the restore itself."""
from __future__ import annotations

import signal

import stack as stacklib
from chaos.kit import AT_REST, PRE, RESTORE_BUDGET, SCALED, Ctx, case

# From the signal to the exit: cancelling is at once, putting the replicas back takes a few calls
# (a slowed-down restore in one case takes 3 s more). A busy machine gets room.
STOP_WITHIN = 10.0


def big_checks(c: Ctx) -> None:
    """A fingerprint over 60,000 documents: a snapshot that takes a while."""
    big = c.big_collection()
    c.app().checks(f"checks:\n  - name: big\n    kind: fingerprint\n    collection: {big}\n    fields: [n, payload]\n")


def interrupted(c: Ctx, run, *, replicas=None, verdict_stored_before: bool = False) -> None:
    """Exit 143, saying SIGTERM, soon after the signal; the shared fail-closed checks."""
    if run.signalled is not None:
        stopping = run.seconds - run.signalled
        c.check(stopping < STOP_WITHIN, f"stopping took {stopping:.1f}s after the signal (more than {STOP_WITHIN}s)")
    if verdict_stored_before:
        # The comparison had finished and its verdict was stored before the signal: the record
        # may say pass, the hook still fails (143).
        c.mentions(run, "SIGTERM")
        c.check(run.returncode == 143, f"exit {run.returncode}, expected 143")
        c.check("taster: PASS" not in run.termination_log + run.stdout, "an interrupted run reported a pass")
        found = c.app().replicas()
        c.check(found == (replicas or AT_REST), f"replicas {found}, expected {replicas or AT_REST}")
        if not c.violations:
            c.outcome = "failed closed"
        return
    c.failed_closed(run, 143, "SIGTERM", replicas=replicas)


# -- SIGTERM in pre-taste ----------------------------------------------------------------------

@case("process", "SIGTERM in pre-taste between the two scale calls", "exit 143; what was scaled put back; no pointer")
def term_pre_scaling(c: Ctx) -> None:
    app = c.app()
    app.fault(action="delay", seconds=6, method="GET", pathRegex=f"/namespaces/{c.name}/deployments/pxbbq-web/scale$", count=1)
    run = c.run("pre-taste", signal_when="scaled statefulset/mongo")
    interrupted(c, run)


@case("process", "SIGTERM in pre-taste during the readiness wait", "exit 143; replicas put back; no pointer")
def term_pre_ready(c: Ctx) -> None:
    c.app()
    c.control.workload(c.name, "deployment", "pxbbq-web", unready={"reason": "ImagePullBackOff"})
    interrupted(c, c.run("pre-taste", signal_when="wait until ready"))


@case("process", "SIGTERM in pre-taste during the MongoDB wait", "exit 143; replicas put back; no pointer")
def term_pre_mongo(c: Ctx) -> None:
    c.app()
    uri = stacklib.mongo_uri("taster", "Wait-Pass-Secret", stacklib.free_port())
    interrupted(c, c.run("pre-taste", env={"MONGODB_URI": uri, "TASTER_MONGO_WAIT": "60s"}, signal_when="wait for MongoDB"))


@case("process", "SIGTERM in pre-taste during the snapshot", "exit 143; replicas put back; no pointer")
def term_pre_snapshot(c: Ctx) -> None:
    big_checks(c)
    interrupted(c, c.run("pre-taste", signal_when="snapshot of"))


@case("process", "SIGTERM in pre-taste during a snapshot the server holds", "exit 143 at once; replicas put back; no pointer")
def term_pre_held_snapshot(c: Ctx) -> None:
    app = c.app(seed=False)
    mongo = c.mongo(test_commands=True).provision(app).start()
    app.env["MONGODB_URI"] = mongo.uri()
    mongo.fail_point("alwaysOn", failCommands=["aggregate"], blockConnection=True, blockTimeMS=60_000)
    interrupted(c, c.run("pre-taste", signal_when="snapshot of"))


@case("process", "SIGTERM in pre-taste during the upload of pre.json", "exit 143; replicas put back; no pointer")
def term_pre_upload(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="delay", seconds=6)
    interrupted(c, c.run("pre-taste", signal_when="/pre.json…"))


@case("process", "SIGTERM in pre-taste while moving the pointer", "exit 143; replicas put back; the pointer not moved")
def term_pre_pointer(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=r"/latest-pre\.json$", action="delay", seconds=6)
    interrupted(c, c.run("pre-taste", signal_when="/latest-pre.json at run"))


@case("process", "SIGINT in pre-taste during the readiness wait", "exit 130; replicas put back; no pointer")
def int_pre_ready(c: Ctx) -> None:
    c.app()
    c.control.workload(c.name, "statefulset", "mongo", unready={"reason": "Unschedulable"})
    run = c.run("pre-taste", signal_when="wait until ready", sig=signal.SIGINT)
    c.failed_closed(run, 130, "SIGINT")


# -- SIGTERM in post-taste ---------------------------------------------------------------------

@case("process", "SIGTERM in post-taste while finding the baseline",
      "exit 143; nothing scaled yet (the app stays as the sync left it); then restore puts it back")
def term_post_baseline(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="GET", path=r"/latest-pre\.json$", action="delay", seconds=6)
    run = c.run("post-taste", signal_when="find the baseline")
    interrupted(c, run, replicas=SCALED)
    restore = c.run("restore")
    c.check(restore.returncode == 0 and c.app().replicas() == AT_REST, "the SyncFail restore did not put the replicas back")


@case("process", "SIGTERM in post-taste while checking the replicas", "exit 143; replicas put back to the baseline's")
def term_post_replicas(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    app.fault(action="delay", seconds=6, method="GET", pathRegex=f"/namespaces/{c.name}/statefulsets/mongo/scale$", count=1)
    interrupted(c, c.run("post-taste", signal_when="check the replicas"))


@case("process", "SIGTERM in post-taste during the readiness wait", "exit 143; replicas put back to the baseline's")
def term_post_ready(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    app.set_replicas("deployments", "pxbbq-web", 0)
    c.control.workload(c.name, "deployment", "pxbbq-web", unready={"reason": "CrashLoopBackOff", "exitCode": 1})
    interrupted(c, c.run("post-taste", signal_when="wait until ready"))


@case("process", "SIGTERM in post-taste during the MongoDB wait", "exit 143; replicas put back; no verdict")
def term_post_mongo(c: Ctx) -> None:
    c.app()
    c.baseline()
    uri = stacklib.mongo_uri("taster", "Wait-Pass-Secret", stacklib.free_port())
    interrupted(c, c.run("post-taste", env={"MONGODB_URI": uri, "TASTER_MONGO_WAIT": "60s"}, signal_when="wait for MongoDB"))


@case("process", "SIGTERM in post-taste during the snapshot", "exit 143; replicas put back; no post.json, no verdict")
def term_post_snapshot(c: Ctx) -> None:
    big_checks(c)
    c.baseline()
    run = c.run("post-taste", signal_when="snapshot of")
    c.check(not any(k.endswith(("post.json", "verdict.json")) for k in c.app().objects()), "an interrupted snapshot was stored")
    interrupted(c, run)


@case("process", "SIGTERM in post-taste during the upload of post.json", "exit 143; replicas put back; no verdict")
def term_post_upload(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="PUT", path=r"/post\.json$", action="delay", seconds=6)
    interrupted(c, c.run("post-taste", signal_when="/post.json…"))


@case("process", "SIGTERM in post-taste during the upload of verdict.json", "exit 143; replicas put back; no verdict")
def term_post_verdict(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    c.baseline()
    proxy.fault(method="PUT", path=r"/verdict\.json$", action="delay", seconds=6)
    interrupted(c, c.run("post-taste", signal_when="/verdict.json"))


@case("process", "SIGTERM in post-taste during the upload of the verdict page",
      "exit 143, not a pass; the page still stored next to verdict.json (the soak found it missing)")
def term_post_page(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    key = c.baseline()
    proxy.fault(method="PUT", path=r"/verdict\.html$", action="delay", seconds=2)
    run = c.run("post-taste", signal_when="/verdict.html…")
    interrupted(c, run, verdict_stored_before=True)
    objects = c.app().objects()
    c.check(key.replace("pre.json", "verdict.html") in objects, "verdict.json is stored and its page is not")


@case("process", "SIGTERM in post-taste while restoring the replicas",
      "exit 143, not a pass; the restore still completes")
def term_post_restore(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    # Restoring is the only scale call post-taste makes here; slow it down (a late answer is harmless: it is the restore).
    app.fault(action="delay", seconds=3, method="PATCH", pathRegex=f"/namespaces/{c.name}/statefulsets/mongo/scale$", count=1)
    run = c.run("post-taste", signal_when="/verdict.html…")
    interrupted(c, run, verdict_stored_before=True)


# -- the deadline in each wait -----------------------------------------------------------------

def deadline_bound(seconds: float) -> float:
    """What a run with TASTER_DEADLINE=seconds may take: the deadline, the restore's own budget, and slack."""
    return seconds + RESTORE_BUDGET + 10


@case("deadline", "reached in the readiness wait of pre-taste", "exit 3 naming TASTER_DEADLINE and the pods; replicas put back")
def deadline_pre_ready(c: Ctx) -> None:
    c.app()
    c.control.workload(c.name, "statefulset", "mongo", unready={"reason": "CrashLoopBackOff", "lastTerminationReason": "OOMKilled", "exitCode": 137})
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "4s", "TASTER_READY_TIMEOUT": "5m"}, bound=deadline_bound(4))
    c.failed_closed(run, 3, ("deadline", "TASTER_DEADLINE"), "CrashLoopBackOff")


@case("deadline", "reached in the readiness wait of post-taste", "exit 3 naming TASTER_DEADLINE; replicas put back, no verdict")
def deadline_post_ready(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    app.set_replicas("deployments", "pxbbq-web", 0)
    c.control.workload(c.name, "deployment", "pxbbq-web", unready={"reason": "ImagePullBackOff"})
    run = c.run("post-taste", env={"TASTER_DEADLINE": "4s", "TASTER_READY_TIMEOUT": "5m"}, bound=deadline_bound(4))
    c.failed_closed(run, 3, ("deadline", "TASTER_DEADLINE"), "ImagePullBackOff")


@case("deadline", "TASTER_READY_TIMEOUT reached", "exit 3 naming TASTER_READY_TIMEOUT and the pods' reason")
def ready_timeout(c: Ctx) -> None:
    c.app()
    c.control.workload(c.name, "deployment", "pxbbq-web", unready={"reason": "Unschedulable"})
    run = c.run("pre-taste", env={"TASTER_READY_TIMEOUT": "2s"}, bound=deadline_bound(2))
    c.failed_closed(run, 3, "TASTER_READY_TIMEOUT", "Unschedulable")


@case("deadline", "reached in the MongoDB wait", "exit 3 naming TASTER_DEADLINE and MongoDB; replicas put back")
def deadline_mongo(c: Ctx) -> None:
    c.app()
    uri = stacklib.mongo_uri("taster", "Wait-Pass-Secret", stacklib.free_port())
    run = c.run("pre-taste", env={"MONGODB_URI": uri, "TASTER_DEADLINE": "5s", "TASTER_MONGO_WAIT": "5m"}, bound=deadline_bound(5))
    c.failed_closed(run, 3, ("deadline", "TASTER_DEADLINE"), "MongoDB")


@case("deadline", "TASTER_MONGO_WAIT reached", "exit 3 naming TASTER_MONGO_WAIT; replicas put back")
def mongo_wait(c: Ctx) -> None:
    c.app()
    uri = stacklib.mongo_uri("taster", "Wait-Pass-Secret", stacklib.free_port())
    run = c.run("pre-taste", env={"MONGODB_URI": uri, "TASTER_MONGO_WAIT": "3s"}, bound=deadline_bound(3))
    c.failed_closed(run, 3, "TASTER_MONGO_WAIT", "MongoDB")


@case("deadline", "reached in a snapshot the server holds", "exit 3 at the deadline, naming TASTER_DEADLINE and the check; replicas put back")
def deadline_snapshot(c: Ctx) -> None:
    app = c.app(seed=False)
    mongo = c.mongo(test_commands=True).provision(app).start()
    app.env["MONGODB_URI"] = mongo.uri()
    mongo.fail_point("alwaysOn", failCommands=["aggregate"], blockConnection=True, blockTimeMS=60_000)
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "8s"}, bound=deadline_bound(8))
    c.failed_closed(run, 3, "TASTER_DEADLINE", "snapshot (check")


@case("deadline", "reached in an S3 upload that hangs", "exit 3 within the deadline; replicas put back, no pointer")
def deadline_s3_hang(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="delay", seconds=90, count=None)
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "6s"}, bound=deadline_bound(6))
    c.failed_closed(run, 3, ("deadline", "TASTER_DEADLINE", "timed out", "timeout"))


@case("deadline", "reached while S3 keeps answering SlowDown", "exit 3 within the deadline; replicas put back, no pointer")
def deadline_s3_retries(c: Ctx) -> None:
    proxy = c.s3_via_proxy()
    proxy.fault(method="PUT", path=PRE, action="slowdown", count=None)
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "4s"}, bound=deadline_bound(4))
    c.failed_closed(run, 3, ("SlowDown", "deadline"))


@case("deadline", "reached while Kubernetes asks to retry after 30 s", "exit 3 at once rather than sleeping past the deadline")
def deadline_kube_retry_after(c: Ctx) -> None:
    app = c.app()
    app.fault(method="GET", pathRegex=f"/namespaces/{c.name}/statefulsets/mongo/scale$", code=429, retryAfter=30, count=None)
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "5s"}, bound=deadline_bound(5))
    c.failed_closed(run, 3, ("429", "TooManyRequests", "too many"))


@case("deadline", "reached in a Kubernetes request that hangs", "exit 3 within the deadline; nothing left scaled")
def deadline_kube_hang(c: Ctx) -> None:
    app = c.app()
    app.fault(action="delay", seconds=60, method="GET", pathRegex=f"/namespaces/{c.name}/deployments/pxbbq-web/scale$", count=None)
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "5s"}, bound=deadline_bound(5))
    c.failed_closed(run, 3, ("deadline", "TASTER_DEADLINE", "timed out", "timeout"))


@case("deadline", "the restore's own budget when the API hangs",
      "post-taste exit 3 saying the restore failed, within its budget; the SyncFail hook restores")
def restore_budget(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    # Every restore call hangs for a minute (a late answer is harmless: each one scales to 0).
    hang = app.fault(action="delay", seconds=60, method="PATCH", pathRegex=f"/namespaces/{c.name}/[a-z]+/[a-z-]+/scale$", count=None)
    post = c.run("post-taste", env={"TASTER_DEADLINE": "10s"}, bound=deadline_bound(10))
    c.control.call("DELETE", f"/_emulator/faults/{hang['id']}")
    c.check(post.returncode == 3, f"exit {post.returncode}, expected 3")
    c.mentions(post, ("restore", "RESTORE FAILED"), "taster restore")
    c.check("taster: PASS" not in post.termination_log or "RESTORE FAILED" in post.termination_log,
            "the summary hides the failed restore")
    restore = c.run("restore")
    c.survived(restore, replicas=AT_REST)
    if c.outcome:
        c.outcome = "failed closed"


@case("process", "two syncs overlap: the next PreSync stores its baseline while this PostSync runs",
      "survive: each verdict compares its own pre and post, both runs say so, the first leaves the replicas to the second, "
      "the app ends at rest")
def overlapping_syncs(c: Ctx) -> None:
    import json

    app = c.app()
    # The longest window of the campaign between a baseline and its post snapshot: other cases'
    # collections dropped meanwhile on the shared database can be listed with no indexes left
    # ("index _id_ dropped"). Structure is not what this case is about.
    app.checks('structure:\n  ignore:\n    collections: ["*"]\n')
    proxy = c.s3_via_proxy()
    first_key = c.baseline()
    first_id = first_key.split("/runs/")[1].split("/")[0]
    # The first PostSync holds its post.json upload for 6 s; once it has found its baseline, the
    # second sync's PreSync runs to the end (its baseline stored, latest-pre.json moved).
    proxy.fault(method="PUT", path=rf"/runs/{first_id}/post\.json$", action="delay", seconds=6)
    second: dict = {}
    first_post = c.run("post-taste", on_line={"baseline from latest-pre.json": lambda: second.update(pre=c.run("pre-taste"))})
    second_pre = second.get("pre")
    if not c.check(second_pre is not None and second_pre.returncode == 0, "the second pre-taste did not store its baseline"):
        return
    c.check(first_post.returncode == 0 and first_post.termination_log.startswith("taster: PASS"),
            f"the first post-taste did not pass: exit {first_post.returncode}: {first_post.termination_log[:400]}")
    objects = app.objects()
    first_verdict = json.loads(objects[f"{app.prefix}/runs/{first_id}/verdict.json"])
    c.check(first_verdict["preKey"] == first_key, f"the first verdict compares {first_verdict['preKey']}, not its own baseline")
    second_key = app.pointer()["key"]
    c.check(second_key != first_key, "the second pre-taste did not move latest-pre.json")
    second_pre_report = json.loads(objects[second_key])
    recorded = {w["name"]: w["replicasBefore"] for w in second_pre_report["workloads"]}
    c.check(recorded == AT_REST, f"the second baseline records {recorded}, not the replicas before the first sync {AT_REST}")
    c.mentions(second_pre, "overlapping syncs", first_id)
    c.mentions(first_post, "overlapping syncs", second_pre_report["runId"])
    c.check(app.replicas() == SCALED, f"the first post-taste did not leave the replicas to the second: {app.replicas()}")
    # The second sync deletes orders: its verdict, against its own baseline, fails; then the app is at rest.
    c.admin_db()[app.orders].delete_many({"n": {"$lt": 3}})
    second_post = c.run("post-taste")
    c.check(second_post.returncode == 1, f"the second post-taste exited {second_post.returncode}, expected 1 (orders deleted)")
    second_verdict = json.loads(app.objects()[second_key.replace("pre.json", "verdict.json")])
    c.check(second_verdict["preKey"] == second_key, f"the second verdict compares {second_verdict['preKey']}")
    c.check(app.replicas() == AT_REST, f"replicas {app.replicas()} after the second post-taste, expected {AT_REST}")
    if not c.violations:
        c.outcome = "survived"


@case("process", "two syncs overlap and the next one scales fewer workloads",
      "survive: the first post-taste leaves to the second only what its baseline records (mongo) and restores the rest "
      "(pxbbq-web) itself, saying which; the second restores mongo; nothing is left scaled")
def overlapping_syncs_fewer_workloads(c: Ctx) -> None:
    app = c.app()
    app.checks('structure:\n  ignore:\n    collections: ["*"]\n')  # as in "two syncs overlap"
    proxy = c.s3_via_proxy()
    first_key = c.baseline()
    first_id = first_key.split("/runs/")[1].split("/")[0]
    # The next sync's TASTER_WORKLOADS no longer names pxbbq-web.
    fewer = {"TASTER_WORKLOADS": "statefulset/mongo=1"}
    proxy.fault(method="PUT", path=rf"/runs/{first_id}/post\.json$", action="delay", seconds=6)
    second: dict = {}
    first_post = c.run("post-taste", on_line={"baseline from latest-pre.json": lambda: second.update(pre=c.run("pre-taste", env=fewer))})
    second_pre = second.get("pre")
    if not c.check(second_pre is not None and second_pre.returncode == 0, "the second pre-taste did not store its baseline"):
        return
    c.check(first_post.returncode == 0, f"the first post-taste exited {first_post.returncode}: {first_post.termination_log[:400]}")
    second_id = app.pointer()["runId"]
    c.mentions(first_post, "overlapping syncs", second_id, "leaving statefulset/mongo=0", "restoring deployment/pxbbq-web=0")
    c.check(app.replicas() == {"mongo": 1, "pxbbq-web": 0},
            f"after the first post-taste: {app.replicas()}, expected mongo left to the second sync and pxbbq-web restored")
    second_post = c.run("post-taste", env=fewer)
    c.check(second_post.returncode == 0, f"the second post-taste exited {second_post.returncode}: {second_post.termination_log[:400]}")
    c.check(app.replicas() == AT_REST, f"replicas {app.replicas()} after both syncs, expected {AT_REST}")
    if not c.violations:
        c.outcome = "survived"


@case("process", "post-taste follows latest-pre.json to a baseline stored after it started (a later sync's)",
      "exit 4 naming --run-id; no verdict stored; the SyncFail hook's restore puts the replicas back")
def pointer_at_a_later_baseline(c: Ctx) -> None:
    import shutil

    c.app()
    faketime = shutil.which("faketime")
    if not faketime:
        c.violate("faketime is not installed (scripts/ensure-apt.sh faketime)")
        return
    c.baseline()
    # The post-taste's clock 3 minutes behind: the baseline it finds was stored, by its clock, 3
    # minutes after it started — as when it waited on S3 while the next sync's pre-taste ran.
    post = c.run("post-taste", prefix=[faketime, "-f", "-3m"])
    c.failed_closed(post, 4, "after this post-taste started", "later sync", "--run-id", replicas=SCALED)
    c.check(not any(k.endswith("/verdict.json") for k in c.app().objects()), "a verdict was stored")
    restore = c.run("restore")
    c.check(restore.returncode == 0 and c.app().replicas() == AT_REST, f"restore exited {restore.returncode}, replicas {c.app().replicas()}")
