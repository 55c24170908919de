"""Bad input: each setting malformed in turn, and checks files with problems. Settings and the
checks file are validated before anything is touched, so each of these exits 2 naming the
variable (or the file and the check), with no Kubernetes call and no upload."""
from __future__ import annotations

import json
import time

import harness
from chaos.kit import AT_REST, Ctx, case

# (variable, malformed value, what else the scene needs (None removes a variable), what the message must say)
# Every message also names the variable and, for a value taster validates itself, gives an example;
# a kubeconfig file that is missing or broken is named with what is wrong in it instead.
FILE_CONTENT = {("KUBECONFIG", "/nonexistent/kubeconfig"), ("KUBECONFIG", "GARBAGE"), ("TASTER_KUBE_CONTEXT", "no-such-context")}
SETTINGS = [
    ("MONGODB_URI", "http://taster:Wr0ngScheme-Secret@mongo:27017/", {}, ("mongodb://",)),
    ("MONGODB_URI", "mongodb://taster:N0Host-Secret@/?authSource=admin", {}, ("no host",)),
    ("MONGODB_URI", "mongodb://taster:BadP0rt-Secret@127.0.0.1:99999/", {}, ()),
    ("MONGO_NODE", "mongo node.pxbbq", {"MONGODB_URI": None}, ("not a host name",)),
    ("MONGO_PORT", "99999", {"MONGODB_URI": None, "MONGO_NODE": "127.0.0.1"}, ("not a TCP port",)),
    ("MONGO_PASS", "", {"MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_USER": "taster"}, ("missing",)),
    ("MONGO_USER", "", {"MONGODB_URI": None, "MONGO_NODE": "127.0.0.1", "MONGO_PASS": "Lone-Pass-Secret"}, ("missing",)),
    ("TASTER_DATABASE", "px.bbq", {}, ("database name",)),
    ("TASTER_COLLECTIONS", "orders,,registrations", {}, ("collection names",)),
    ("TASTER_CHECKS", "/nonexistent/checks.yaml", {}, ("not a readable file",)),
    ("TASTER_MONGO_WAIT", "soon", {}, ("duration",)),
    ("AWS_ENDPOINT_URL", "ftp://s3.example.com", {}, ()),
    ("AWS_SECRET_ACCESS_KEY", "", {}, ("missing", "AWS_ACCESS_KEY_ID")),
    ("AWS_ACCESS_KEY_ID", "", {}, ("missing",)),
    ("AWS_REGION", "mars central 1", {}, ("region",)),
    ("TASTER_BUCKET", "Reports_Bucket", {}, ("bucket name",)),
    ("TASTER_BUCKET", "", {}, ("not set",)),
    ("TASTER_PREFIX", "chaos//../x", {}, ("prefix",)),
    ("AWS_CA_BUNDLE", "/nonexistent/ca.pem", {}, ("not a readable file",)),
    ("TASTER_S3_ADDRESSING", "sideways", {}, ("path",)),
    ("TASTER_S3_INSECURE", "perhaps", {}, ("boolean",)),
    ("TASTER_S3_RETRY_BUDGET", "soon", {}, ("duration",)),
    ("KUBERNETES_SERVICE_PORT", "https", {"KUBERNETES_SERVICE_HOST": "127.0.0.1"}, ("TCP port",)),
    ("KUBECONFIG", "/nonexistent/kubeconfig", {}, ("no kubeconfig found",)),
    ("KUBECONFIG", "GARBAGE", {}, ("not valid YAML", "line 3")),
    ("TASTER_KUBE_CONTEXT", "no-such-context", {}, ("no-such-context", "it has: taster-test")),
    ("TASTER_NAMESPACE", "Bad_Namespace", {}, ("namespace name",)),
    ("TASTER_WORKLOADS", "deployment/Web=x", {}, ("Web",)),
    ("TASTER_WORKLOADS", "cronjob/backup=1", {}, ("cronjob",)),
    ("TASTER_READY_TIMEOUT", "-5s", {}, ("duration",)),
    ("TASTER_DEADLINE", "0s", {}, ("duration",)),
    ("TASTER_APP", "shop/../other", {}, ("letters",)),
    ("TASTER_RUN_ID", "../../other-run", {}, ("letters",)),
    ("TASTER_LOG_FORMAT", "xml", {}, ("text",)),
    ("TASTER_ARGOCD_APP", "Stage PXBBQ", {}, ("Application",)),
    ("TASTER_ARGOCD_NAMESPACE", "Argo_CD", {}, ("namespace",)),
    ("TASTER_NOTIFY_URL", "ftp://hooks.example.com/T0/B0/Notify-Secret-Token", {}, ("http",)),
    ("TASTER_NOTIFY_FORMAT", "teams", {}, ("slack",)),
    ("TASTER_NOTIFY_ON", "sometimes", {}, ("failure",)),
]


# The SyncFail hook's restore needs Kubernetes and S3 only: a bad MongoDB, checks-file or
# notification setting must not stop it from putting the replicas back.
RESTORE_DOES_NOT_USE = {"MONGODB_URI", "MONGO_NODE", "MONGO_PORT", "MONGO_PASS", "MONGO_USER", "TASTER_DATABASE",
                        "TASTER_COLLECTIONS", "TASTER_CHECKS", "TASTER_MONGO_WAIT",
                        "TASTER_NOTIFY_URL", "TASTER_NOTIFY_FORMAT", "TASTER_NOTIFY_ON"}


def bad_setting(variable: str, value: str, scene: dict, says: tuple[str, ...]):
    def run(c: Ctx) -> None:
        app = c.app(seed=False)
        env = dict(scene)
        if variable == "KUBECONFIG" and value == "GARBAGE":
            garbage = c.work / "kubeconfig"
            garbage.write_text("apiVersion: v1\nclusters: [name: {oops\n  - ]]\n")
            env[variable] = str(garbage)
        else:
            env[variable] = value if value != "" else None
        mark = c.control.mark()
        runs = [c.run(command, env=env) for command in ("pre-taste", "post-taste", "restore")]
        c.no_kubernetes_call(mark)
        c.no_upload()
        example = () if (variable, value) in FILE_CONTENT else (("for example", "e.g."),)
        for result in runs[:-1]:
            c.failed_closed(result, 2, variable, *says, *example)
        if variable in RESTORE_DOES_NOT_USE:
            # No baseline was ever taken here: restore goes on to look for one.
            c.failed_closed(runs[-1], 4, "no baseline", replicas=AT_REST)
        else:
            c.failed_closed(runs[-1], 2, variable, *says, *example, replicas=AT_REST)
    return run


for _variable, _value, _scene, _says in SETTINGS:
    _shown = repr(_value) if _value else "unset"
    if _variable == "KUBECONFIG" and _value == "GARBAGE":
        _shown = "a file of broken YAML"
    _restore = "; restore, which does not use it, goes on" if _variable in RESTORE_DOES_NOT_USE else ""
    case("bad input", f"{_variable} {_shown}",
         f"exit 2 naming {_variable}{_restore}; no Kubernetes call, no upload")(bad_setting(_variable, _value, _scene, _says))


@case("bad input", "several settings wrong at once", "exit 2 naming every one of them")
def several_at_once(c: Ctx) -> None:
    c.app(seed=False)
    mark = c.control.mark()
    run = c.run("pre-taste", env={"TASTER_DEADLINE": "never", "TASTER_BUCKET": "No_Bucket", "TASTER_WORKLOADS": "pod/x"})
    c.no_kubernetes_call(mark)
    c.no_upload()
    c.failed_closed(run, 2, "TASTER_DEADLINE", "TASTER_BUCKET", "TASTER_WORKLOADS")


@case("bad input", "a run id used before", "exit 2 naming the run id; nothing scaled, nothing replaced")
def reused_run_id(c: Ctx) -> None:
    app = c.app()
    first = c.run("pre-taste", env={"TASTER_RUN_ID": "sync-1"})
    c.check(first.returncode == 0, f"the first pre-taste failed: {first.stderr[-300:]}")
    c.run("restore")
    stored = app.objects()
    mark = c.control.mark()
    again = c.run("pre-taste", env={"TASTER_RUN_ID": "sync-1"})
    c.no_kubernetes_call(mark, method="PATCH")
    c.check(app.objects() == stored, "the second run changed the stored reports")
    c.failed_closed(again, 2, "sync-1", "TASTER_RUN_ID")


# -- checks files ------------------------------------------------------------------------------

CHECKS_FILES = [
    ("a YAML error", "checks:\n  - name: orders\n    kind: count\n    collection: [ORDERS\n", ("line",)),
    ("an unknown kind", "checks:\n  - name: x\n    kind: median\n    collection: ORDERS\n", ("median",)),
    ("a missing collection", "checks:\n  - name: x\n    kind: count\n", ("collection",)),
    ("a fingerprint without fields", "checks:\n  - name: x\n    kind: fingerprint\n    collection: ORDERS\n", ("fields",)),
    ("an unknown setting", "checks:\n  - name: x\n    kind: count\n    collection: ORDERS\n    filtr: {status: paid}\n", ("filtr",)),
    ("a bad rule", "checks:\n  - name: x\n    kind: count\n    collection: ORDERS\n    rule: roughly\n", ("roughly",)),
    ("a tolerance that is not a number", "checks:\n  - name: x\n    kind: count\n    collection: ORDERS\n    rule: tolerance\n    tolerance: some\n", ("tolerance",)),
    ("two checks with one name", "checks:\n  - name: x\n    kind: count\n    collection: ORDERS\n  - name: x\n    kind: count\n    collection: REGISTRATIONS\n", ("x",)),
    ("a pipeline with $out", "checks:\n  - name: x\n    kind: aggregate\n    collection: ORDERS\n    field: n\n    pipeline:\n      - $out: stolen\n", ("$out",)),
    ("a filter that is not JSON", "checks:\n  - name: x\n    kind: count\n    collection: ORDERS\n    filter: '{status: '\n", ("filter",)),
    ("not a checks file at all", "- just\n- a list\n", ("checks",)),
]


def bad_checks(text: str, says: tuple[str, ...]):
    def run(c: Ctx) -> None:
        app = c.app(seed=False)
        path = app.checks(text)
        mark = c.control.mark()
        runs = [c.run(command) for command in ("pre-taste", "post-taste")]
        c.no_kubernetes_call(mark)
        c.no_upload()
        for result in runs:
            c.failed_closed(result, 2, path.name, *says)
    return run


for _title, _text, _says in CHECKS_FILES:
    case("checks file", _title, "exit 2 naming the file and the problem; nothing touched")(bad_checks(_text, _says))


PIPELINES = [
    ("a pipeline whose number is a string",
     "    pipeline:\n      - $group: {_id: null, n: {$first: \"$status\"}}\n    field: n\n", ("not a number",)),
    ("a pipeline without the field",
     "    pipeline:\n      - $group: {_id: null, total: {$sum: 1}}\n    field: n\n", ("no field n",)),
    ("a pipeline returning many documents",
     "    pipeline:\n      - $group: {_id: \"$status\", n: {$sum: 1}}\n    field: n\n", ("more than one",)),
]


def bad_pipeline(text: str, says: tuple[str, ...]):
    def run(c: Ctx) -> None:
        app = c.app()
        app.checks("checks:\n  - name: weird\n    kind: aggregate\n    collection: ORDERS\n" + text)
        run = c.run("pre-taste")
        c.failed_closed(run, 2, "weird", *says)
    return run


for _title, _text, _says in PIPELINES:
    case("checks file", _title,
         "exit 2 naming the check (found while measuring); replicas put back, no pointer")(bad_pipeline(_text, _says))


# -- checks that guard nothing -----------------------------------------------------------------

@case("checks file", "a misspelled collection",
      "exit 2 naming the check, the collection and allowMissing; replicas put back, no pointer; check exit 3")
def misspelled_collection(c: Ctx) -> None:
    app = c.app()
    misspelled = app.orders.replace("orders", "ordres")
    app.checks(f"checks:\n  - name: paid\n    kind: count\n    collection: {misspelled}\n    filter: {{status: paid}}\n")
    check = c.run("check")
    c.check(check.returncode == 3 and f"read pxbbq.{misspelled}" in check.stdout, f"taster check did not fail on it: exit {check.returncode}")
    run = c.run("pre-taste")
    c.no_upload()
    c.failed_closed(run, 2, '"paid"', misspelled, "does not exist", "allowMissing: true")


@case("checks file", "a misspelled field",
      "survive, warning in the log, pre.json, the verdict and its summary that the check guards nothing; check exit 3")
def misspelled_field(c: Ctx) -> None:
    app = c.app()
    app.checks("checks:\n  - name: revenue\n    kind: sum\n    collection: ORDERS\n    field: totl\n"
               "  - name: content\n    kind: fingerprint\n    collection: ORDERS\n    fields: [status, totl]\n")
    check = c.run("check")
    c.check(check.returncode == 3 and "totl" in check.stdout, f"taster check did not fail on it: exit {check.returncode}")
    pre = c.run("pre-taste")
    c.mentions(pre, 'check "revenue" (#1): field totl is absent from every document', "2 checks guard nothing")
    report = json.loads(app.objects().get((app.pointer() or {}).get("key", ""), b"{}"))
    c.check(len(report.get("warnings") or []) == 2, f"pre.json does not carry the warnings: {report.get('warnings')}")
    post = c.run("post-taste")
    c.check("guard nothing" in post.termination_log, f"the verdict's summary does not warn: {post.termination_log.strip()[:200]!r}")
    verdicts = [json.loads(body) for key, body in app.objects().items() if key.endswith("verdict.json")]
    c.check(len(verdicts) == 1 and all(check.get("warning") for check in verdicts[0]["checks"]
                                        if check["name"] in ("revenue", "content")), "the verdict does not carry the warnings")
    c.survived(post)


# -- baselines whose time cannot be trusted --------------------------------------------------------

def untrusted_time(taken_at: str, says: str):
    def run(c: Ctx) -> None:
        app = c.app()
        app.checks(f"checks:\n  - name: {app.orders}\n    kind: count\n    collection: ORDERS\n    asOf: baseline\n")
        key = c.baseline(restore=True)
        c.baseline_damaged_on_purpose = True
        report = json.loads(app.objects()[key])
        report["snapshot"]["takenAt"] = taken_at
        harness.s3_client(c.stack).put_object(Bucket=c.stack["TASTER_BUCKET"], Key=key, Body=json.dumps(report).encode())
        # The sync replaces a baseline document: only the cut at the baseline's time sees it.
        db = c.admin_db()
        db[app.orders].delete_one({"n": 5})
        time.sleep(1.1)
        db[app.orders].insert_one({"n": 5000, "status": "paid"})
        mark = c.control.mark()
        run = c.run("post-taste")
        c.no_kubernetes_call(mark, method="PATCH")
        c.check(not any(k.endswith("verdict.json") for k in app.objects()), "a verdict was stored on an untrusted baseline")
        c.failed_closed(run, 4, says, "run pre-taste again")
    return run


for _title, _taken_at, _says in [
    ("unreadable", "Thursday noon", "snapshot.takenAt"),
    ("in the future", "2099-01-01T00:00:00.000Z", "lies in the future"),
]:
    case("bad input", f"a baseline whose snapshot time is {_title}, and a replaced document",
         "exit 4 naming snapshot.takenAt; nothing scaled, no verdict, never a pass")(untrusted_time(_taken_at, _says))
