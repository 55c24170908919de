"""Kubernetes: the API emulator answers with bursts of 409, 429 (Retry-After) and 500, drops and
expires watches, forbids the scale, loses a workload, keeps pods unready, rotates the token and
presents a certificate from another CA. Faults are kept to each case's namespace."""
from __future__ import annotations

import base64
import json
import signal
import time

import stack as stacklib
import tlsgen
from chaos.kit import AT_REST, OWN_CALLS, OWN_QUERY, SCALED, Ctx, case

SCALE = r"/scale$"


def scale_regex(c: Ctx) -> str:
    return f"/namespaces/{c.name}/[a-z]+/[a-z-]+/scale"


def statuses(c: Ctx, since: int, **filters) -> list[int]:
    return [call["status"] for call in c.taster_calls(since, **filters)]


def kubeconfig(c: Ctx, *, token: str | None = None, token_file: str | None = None, ca: bytes | None = None,
               server: str | None = None, user: dict | None = None) -> str:
    """A kubeconfig for the emulator with the case's changes."""
    config = json.loads(open(c.stack["KUBECONFIG"]).read())
    cluster = config["clusters"][0]["cluster"]
    if ca is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca).decode()
    if server is not None:
        cluster["server"] = server
    if user is not None:
        config["users"][0]["user"] = user
    elif token_file is not None:
        config["users"][0]["user"] = {"tokenFile": token_file}
    elif token is not None:
        config["users"][0]["user"] = {"token": token}
    path = c.work / f"kubeconfig-{time.monotonic_ns()}"
    path.write_text(json.dumps(config))
    path.chmod(0o600)
    return str(path)


@case("Kubernetes", "a burst of 409 Conflict on the scale", "survive: retried, scaled, baseline stored")
def conflicts(c: Ctx) -> None:
    app = c.app()
    app.fault(method="PATCH", pathRegex=scale_regex(c), code=409, count=3)
    mark = c.control.mark()
    run = c.run("pre-taste")
    c.check(statuses(c, mark, method="PATCH").count(409) == 3, f"the 409s were not all met: {statuses(c, mark, method='PATCH')}")
    c.survived(run)


@case("Kubernetes", "429 Too Many Requests with Retry-After", "survive: waits what Retry-After asks, then goes on")
def too_many_requests(c: Ctx) -> None:
    app = c.app()
    app.fault(method="GET", pathRegex=scale_regex(c), code=429, retryAfter=2, count=2)
    mark = c.control.mark()
    run = c.run("pre-taste")
    calls = [call for call in c.taster_calls(mark, method="GET") if call["path"].endswith("/scale")]
    limited = [call for call in calls if call["status"] == 429]
    c.check(len(limited) == 2, f"expected two 429 answers, saw {len(limited)}")
    if limited:
        later = [call for call in calls if call["time"] > limited[-1]["time"]]
        c.check(bool(later) and later[0]["time"] - limited[-1]["time"] >= 1.9,
                "the next request did not wait the 2 s Retry-After asked for")
    c.survived(run)


@case("Kubernetes", "a burst of 500 Internal Error", "survive: retried")
def internal_errors(c: Ctx) -> None:
    app = c.app()
    app.fault(pathRegex=f"/namespaces/{c.name}/", watch=False, code=500, count=3)
    mark = c.control.mark()
    run = c.run("pre-taste")
    c.check(statuses(c, mark).count(500) == 3, "the 500s were not met")
    c.survived(run)


@case("Kubernetes", "503 on the readiness watches", "survive: the watch is started again")
def watch_unavailable(c: Ctx) -> None:
    app = c.app()
    # Slow enough that both workloads are still unready when taster first reads them, however
    # busy the machine: a workload already ready is never watched, and the 503s would go unmet.
    for kind, name in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
        c.control.workload(c.name, kind, name, readyDelaySeconds=1.5)
    app.fault(pathRegex=f"/namespaces/{c.name}/", watch=True, code=503, count=2)
    mark = c.control.mark()
    run = c.run("pre-taste")
    c.check(statuses(c, mark, watch="true").count(503) == 2, "the 503s were not met")
    c.survived(run)


@case("Kubernetes", "a dropped watch", "survive: read again (and watched again), readiness still seen")
def dropped_watch(c: Ctx) -> None:
    app = c.app()
    for kind, name in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
        c.control.workload(c.name, kind, name, readyDelaySeconds=1.5)
    app.fault(action="drop-watch", afterEvents=0, pathRegex=f"/namespaces/{c.name}/", watch=True, count=2)
    mark = c.control.mark()
    run = c.run("pre-taste")
    for path in (f"/namespaces/{c.name}/statefulsets/mongo", f"/namespaces/{c.name}/deployments/pxbbq-web"):
        reads = [call for call in c.taster_calls(mark, method="GET", watch="false") if call["path"].endswith(path)]
        c.check(len(reads) >= 2, f"{path.rsplit('/', 2)[-2]} was not read again after its watch was cut")
    c.survived(run)


@case("Kubernetes", "410 Gone on a watch", "survive: listed again, then watched")
def gone(c: Ctx) -> None:
    app = c.app()
    for kind, name in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
        c.control.workload(c.name, kind, name, readyDelaySeconds=2.0)  # still unready when listed again
    app.fault(action="expire-watch", pathRegex=f"/namespaces/{c.name}/statefulsets", watch=True, count=1)
    app.fault(code=410, pathRegex=f"/namespaces/{c.name}/deployments", watch=True, count=1)
    mark = c.control.mark()
    run = c.run("pre-taste")
    c.check(len(c.taster_calls(mark, watch="true")) >= 4, "the expired watches were not started again")
    c.survived(run)


@case("Kubernetes", "connections closed without an answer", "survive: retried")
def closed_connections(c: Ctx) -> None:
    app = c.app()
    app.fault(action="close", method="PATCH", pathRegex=scale_regex(c), count=2)
    run = c.run("pre-taste")
    c.survived(run)


@case("Kubernetes", "403 on the scale", "exit 3 with the Role rule to add; what was scaled put back",
      locks=("authz",))
def forbidden(c: Ctx) -> None:
    c.app()
    c.control.deny(verbs=["patch"], apiGroups=["apps"], resources=["deployments/scale"], namespaces=[c.name])
    c.cleanup(c.control.clear_authz)
    mark = c.control.mark()
    run = c.run("pre-taste")
    restored = [call for call in c.taster_calls(mark, method="PATCH") if "/statefulsets/mongo/scale" in call["path"]]
    c.check(len(restored) == 2, "statefulset/mongo was not scaled up and back")
    c.failed_closed(run, 3, "forbidden", "deployments/scale", "Role", "patch")


@case("Kubernetes", "a workload that does not exist", "exit 3 naming it and TASTER_WORKLOADS; nothing left scaled")
def missing_workload(c: Ctx) -> None:
    c.app()
    run = c.run("pre-taste", env={"TASTER_WORKLOADS": "statefulset/mongo=1,deployment/ghost=1"})
    c.failed_closed(run, 3, "ghost", "TASTER_WORKLOADS")


@case("Kubernetes", "never ready during pre-taste", "exit 3 naming the pods' reason; replicas put back")
def never_ready_pre(c: Ctx) -> None:
    c.app()
    c.control.workload(c.name, "deployment", "pxbbq-web",
                       unready={"reason": "ImagePullBackOff", "message": "Back-off pulling image \"eshanks16/pxbbq:v9\""})
    run = c.run("pre-taste", env={"TASTER_READY_TIMEOUT": "3s"})
    c.failed_closed(run, 3, "ImagePullBackOff", "pxbbq-web", "TASTER_READY_TIMEOUT")


def break_the_rollout(c: Ctx) -> None:
    """The sync rolls pxbbq-web to an image whose pods crash."""
    c.control.workload(c.name, "deployment", "pxbbq-web",
                       unready={"reason": "CrashLoopBackOff", "lastTerminationReason": "Error", "exitCode": 1})
    status, body, _ = c.control.kube("PATCH", f"/apis/apps/v1/namespaces/{c.name}/deployments/pxbbq-web?{OWN_QUERY}",
                                     {"spec": {"template": {"spec": {"containers": [{"name": "pxbbq-web", "image": "eshanks16/pxbbq:broken"}]}}}},
                                     content_type="application/strategic-merge-patch+json", headers=OWN_CALLS)
    if status != 200:
        c.violate(f"could not roll the deployment: {status} {body}")


@case("Kubernetes", "never ready after the sync, then the SyncFail hook",
      "post-taste exit 3 naming CrashLoopBackOff, replicas put back; restore exit 0")
def never_ready_post(c: Ctx) -> None:
    c.app()
    c.baseline()
    break_the_rollout(c)
    post = c.run("post-taste", env={"TASTER_READY_TIMEOUT": "3s"})
    restore = c.run("restore")
    c.check(restore.returncode == 0, f"restore exited {restore.returncode}")
    c.failed_closed(post, 3, "CrashLoopBackOff", "pxbbq-web")


@case("Kubernetes", "post-taste killed hard, the SyncFail hook restores",
      "restore exit 0 and the app back at the replicas recorded in the baseline")
def killed_then_restore(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    break_the_rollout(c)
    killed = c.run("post-taste", signal_when="wait until ready", sig=signal.SIGKILL)
    c.check(killed.returncode == -signal.SIGKILL, f"post-taste was not killed: {killed.returncode}")
    c.check(app.replicas() == SCALED, "the scene needs the app left scaled up")
    restore = c.run("restore")
    c.survived(restore, replicas=AT_REST)
    c.check(restore.termination_log.startswith("taster: RESTORED"), "no RESTORED summary")


def lose_scale_answers(c: Ctx, kind: str, count: int | None):
    """The next `count` scale writes of the workload (None: until cleared) are applied, and their
    answers lost; returns what clears the fault."""
    fault = c.app().fault(method="PATCH", pathRegex=f"/namespaces/{c.name}/{kind}/[a-z-]+/scale", action="lose", count=count)
    return lambda: c.control.call("DELETE", f"/_emulator/faults/{fault['id']}")


def scale_writes(c: Ctx, since: int) -> list[dict]:
    return [call for call in c.taster_calls(since, method="PATCH") if call["path"].endswith("/scale")]


@case("Kubernetes", "the answer to a scale-up lost once", "survive: the write is sent again (it is idempotent)")
def scale_answer_lost_once(c: Ctx) -> None:
    c.app()
    lose_scale_answers(c, "statefulsets", 1)
    mark = c.control.mark()
    run = c.run("pre-taste")
    c.check(len(scale_writes(c, mark)) >= 3, "the lost scale write was not sent again")
    c.survived(run)


@case("Kubernetes", "every answer to pre-taste's scale-up lost, the writes applied",
      "3, naming the scale; the restore reads the live replicas (1: applied) and puts them back")
def scale_answers_lost(c: Ctx) -> None:
    app = c.app()
    # Every attempt applied, none answered: taster never learns the scale happened, and its restore
    # must still scale the app back, from what the API says now. The answers come back once the
    # run has given up (the restore's first write may still lose its answer: it is retried).
    clear = lose_scale_answers(c, "statefulsets", None)
    run = c.run("pre-taste", on_line={"putting back the replicas it changed": clear})
    c.failed_closed(run, 3, "statefulset/mongo", replicas=AT_REST)
    c.mentions(run, "restored statefulset/mongo: 1 → 0")


@case("Kubernetes", "every answer to post-taste's restore lost, the writes applied",
      "3 saying the restore failed (the pass stands); the SyncFail `restore` reads the live replicas and exits 0")
def restore_answers_lost(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    clear = lose_scale_answers(c, "statefulsets", None)
    mark = c.control.mark()
    post = c.run("post-taste")
    clear()
    # The verdict stands (a pass, stored); the exit is 3 because taster cannot know the restore happened.
    c.check(post.returncode == 3, f"post-taste exited {post.returncode}, expected 3")
    c.mentions(post, "RESTORE FAILED", "statefulset/mongo")
    c.check(len(scale_writes(c, mark)) >= 2, "the restore's write was not retried")
    c.check(app.replicas() == AT_REST, f"replicas {app.replicas()}: the lost writes were not applied")
    mark = c.control.mark()
    restore = c.run("restore")
    c.check(scale_writes(c, mark) == [], "the SyncFail restore wrote replicas the live state already had")
    c.survived(restore, replicas=AT_REST)


@case("Kubernetes", "the SyncFail hook after a good pre-taste", "survive: restore scales back to the baseline's replicas")
def sync_failed(c: Ctx) -> None:
    c.app()
    c.baseline()
    restore = c.run("restore")
    c.survived(restore, replicas=AT_REST)


@case("Kubernetes", "the sync scaled the app down", "survive: post-taste scales up again, warns, passes, restores")
def sync_scaled_down(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    app.set_replicas("deployments", "pxbbq-web", 0)
    post = c.run("post-taste")
    c.mentions(post, "ignoreDifferences")
    c.survived(post)


@case("Kubernetes", "the token rotated mid-run", "survive: the token file is read again; restore uses the new token")
def token_rotated(c: Ctx) -> None:
    app = c.app()
    c.baseline()
    user = c.stack["TESTENV_KUBE_USER"]
    old, new = stacklib.random_secret(40), stacklib.random_secret(40)
    c.control.add_token(old, user)
    c.cleanup(lambda: c.control.remove_token(old))
    c.cleanup(lambda: c.control.remove_token(new))
    token_file = c.work / "token"
    token_file.write_text(old)
    c.extra_secrets += [old, new]
    app.set_replicas("deployments", "pxbbq-web", 0)
    c.control.workload(c.name, "deployment", "pxbbq-web", readyDelaySeconds=None)

    def rotate() -> None:
        c.control.add_token(new, user)
        token_file.write_text(new)
        c.control.remove_token(old)
        time.sleep(0.5)
        c.control.ready(c.name, "deployment", "pxbbq-web")

    mark = c.control.mark()
    post = c.run("post-taste", env={"KUBECONFIG": kubeconfig(c, token_file=str(token_file))}, on_line={"wait until ready": rotate})
    after = [call for call in c.taster_calls(mark, method="PATCH") if call["status"] == 200]
    c.check(len(after) >= 3, "the restore's scale calls did not get through with the new token")
    c.survived(post)


@case("Kubernetes", "a certificate from another CA", "exit 3 naming the certificate; nothing touched")
def wrong_ca(c: Ctx) -> None:
    c.app(seed=False)
    other, _ = tlsgen.make_ca(c.work / "other-ca", name="another CA")
    mark = c.control.mark()
    run = c.run("pre-taste", env={"KUBECONFIG": kubeconfig(c, ca=other.read_bytes())})
    c.no_kubernetes_call(mark)
    c.no_upload()
    c.failed_closed(run, 3, "certificate", ("certificate-authority", "CA"))


@case("Kubernetes", "a token the API does not know", "exit 3 saying 401 and what to check; nothing touched")
def unknown_token(c: Ctx) -> None:
    c.app(seed=False)
    token = stacklib.random_secret(40)
    c.extra_secrets.append(token)
    mark = c.control.mark()
    run = c.run("pre-taste", env={"KUBECONFIG": kubeconfig(c, token=token)})
    c.no_kubernetes_call(mark, method="PATCH")
    c.no_upload()
    c.failed_closed(run, 3, ("401", "unauthorized"), "token")


@case("Kubernetes", "the API server unreachable", "exit 3 naming the server, within the deadline; nothing touched")
def unreachable(c: Ctx) -> None:
    c.app(seed=False)
    port = stacklib.free_port()
    run = c.run("pre-taste", env={"KUBECONFIG": kubeconfig(c, server=f"https://127.0.0.1:{port}"), "TASTER_DEADLINE": "30s"})
    c.no_upload()
    c.failed_closed(run, 3, f"127.0.0.1:{port}", ("connect", "refused"))
