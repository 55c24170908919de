"""MongoDB: a server that starts late, dies during a snapshot, drops connections (`failCommand`),
refuses the password or presents a certificate from another CA — and the read-only user the
hooks are meant to run with. Servers that are taken down are private to their case."""
from __future__ import annotations

import json
import time

import tlsgen
from chaos.kit import ORDERS, REGISTRATIONS, Ctx, PrivateMongo, case


def private_app(c: Ctx, **options) -> tuple[object, PrivateMongo]:
    """The app measured on a private SecantusDB (users provisioned, collections seeded, stopped)."""
    app = c.app(seed=False)
    mongo = c.mongo(**options).provision(app)
    app.env["MONGODB_URI"] = mongo.uri()
    return app, mongo


def counts_of(c: Ctx, key_suffix: str) -> dict[str, str]:
    """The check values of the newest stored report whose key ends with `key_suffix`."""
    app = c.app()
    reports = [json.loads(body) for key, body in app.objects().items() if key.endswith(key_suffix)]
    if not reports:
        return {}
    newest = max(reports, key=lambda r: r["finishedAt"])
    return {check["name"]: (check.get("value") or {}).get("int64") for check in newest["snapshot"]["checks"]}


def exact(c: Ctx, key_suffix: str) -> None:
    app = c.app()
    found = counts_of(c, key_suffix)
    c.check(found == {app.orders: str(ORDERS), app.registrations: str(REGISTRATIONS)},
            f"{key_suffix} does not hold the exact counts: {found}")


@case("MongoDB", "down at start for 10 s", "survive: waits for it (TASTER_MONGO_WAIT), then exact counts")
def late_start(c: Ctx) -> None:
    app, mongo = private_app(c)
    c.later(10, mongo.start)
    run = c.run("pre-taste", env={"TASTER_MONGO_WAIT": "60s"})
    c.mentions(run, "waiting for MongoDB", "MongoDB accepts connections")
    c.check(run.seconds >= 9, f"pre-taste finished in {run.seconds:.1f}s, before MongoDB was up")
    exact(c, "/pre.json")
    c.survived(run)


@case("MongoDB", "killed during a snapshot and restarted",
      "survive with the exact counts, or exit 3 naming MongoDB; never a pass on other numbers")
def killed_during_snapshot(c: Ctx) -> None:
    app, mongo = private_app(c, test_commands=True)
    mongo.start()
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    # Hold the snapshot's first aggregate in the server, then kill the server under it.
    mongo.fail_point({"times": 1}, failCommands=["aggregate"], blockConnection=True, blockTimeMS=8000)

    def kill_and_restart() -> None:
        time.sleep(0.5)
        mongo.kill()
        mongo.start()

    post = c.run("post-taste", on_line={"snapshot of": kill_and_restart})
    c.note(f"post-taste exited {post.returncode}")
    if post.returncode == 0:
        exact(c, "/post.json")
        c.survived(post)
    else:
        c.failed_closed(post, 3, "MongoDB")


@case("MongoDB", "failCommand closeConnection once", "survive: the read is retried, exact counts")
def close_once(c: Ctx) -> None:
    app, mongo = private_app(c, test_commands=True)
    mongo.start()
    mongo.fail_point({"times": 1}, failCommands=["aggregate"], closeConnection=True)
    run = c.run("pre-taste")
    exact(c, "/pre.json")
    # The fail point was spent by taster: an aggregate without retries goes through now.
    strict = mongo.admin(retryReads=False)
    try:
        list(strict["pxbbq"][app.orders].aggregate([{"$count": "n"}]))
    except Exception as error:  # noqa: BLE001
        c.violate(f"the fail point was not spent by taster: {error}")
    finally:
        strict.close()
    c.survived(run)


def closed_twice(c: Ctx, command: str, *warning: str) -> None:
    """The connection closed on `command` twice in a row (a read and libmongoc's retry of it):
    taster reads once more, logs a warning holding each of `warning`, and stores the exact counts."""
    _, mongo = private_app(c, test_commands=True)
    mongo.start()
    mongo.fail_point({"times": 2}, failCommands=[command], closeConnection=True)
    run = c.run("pre-taste")
    exact(c, "/pre.json")
    c.check(all(part in run.stderr for part in warning), f"no warning saying {' … '.join(warning)}")
    c.survived(run)


@case("MongoDB", "failCommand closeConnection on two reads in a row",
      "survive: libmongoc retries the read once, taster measures the check once more, exact counts")
def close_twice(c: Ctx) -> None:
    closed_twice(c, "aggregate", "measuring it once more")


@case("MongoDB", "failCommand closeConnection on two estimated counts in a row (the inventory)",
      "survive: the inventory is read once more, exact counts")
def close_twice_inventory(c: Ctx) -> None:
    closed_twice(c, "count", "the inventory: ", "reading it once more")


@case("MongoDB", "failCommand closeConnection persistently",
      "exit 3 naming MongoDB and the lost connection; replicas put back, no pointer")
def close_always(c: Ctx) -> None:
    app, mongo = private_app(c, test_commands=True)
    mongo.start()
    mongo.fail_point("alwaysOn", failCommands=["aggregate"], closeConnection=True)
    run = c.run("pre-taste")
    c.failed_closed(run, 3, "MongoDB", ("connection", "closed", "lost"))


@case("MongoDB", "a wrong password", "exit 3 saying the credentials were refused, without waiting; replicas put back")
def wrong_password(c: Ctx) -> None:
    app = c.app()
    uri = app.env["MONGODB_URI"]
    user, rest = uri.split("://", 1)[1].split("@", 1)
    wrong = "mongodb://" + user.split(":")[0] + ":Wr%40ng%3APass%2Fword-42@" + rest
    run = c.run("pre-taste", env={"MONGODB_URI": wrong})
    c.check(run.seconds < 15, f"a refused password took {run.seconds:.1f}s: waiting cannot help")
    c.failed_closed(run, 3, ("refused the credentials", "authentication"), "password")


@case("MongoDB", "the read-only user", "survive: pre-taste and post-taste pass with the built-in read role only")
def read_only_user(c: Ctx) -> None:
    app = c.app()
    info = c.admin_db().client["admin"].command("usersInfo", "taster")["users"][0]
    c.check([(r["role"], r["db"]) for r in info["roles"]] == [("read", "pxbbq")], f"the taster user is not read-only: {info['roles']}")
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"pre-taste failed with the read-only user: {pre.stderr[-300:]}")
    post = c.run("post-taste")
    c.survived(post)


@case("MongoDB", "TLS with a certificate from another CA", "exit 3 naming TLS and tlsCAFile, without waiting")
def tls_wrong_ca(c: Ctx) -> None:
    app = c.app(seed=False)
    right_ca, right_key = tlsgen.make_ca(c.work / "mongo-ca", name="the server's CA")
    cert, key = tlsgen.make_server(c.work / "mongo-ca", "mongo", right_ca, right_key)
    wrong_ca, _ = tlsgen.make_ca(c.work / "other-ca", name="another CA")
    mongo = c.mongo(tls=(cert, key), tls_ca=right_ca)
    mongo.provision(app)
    mongo.start()
    uri = mongo.uri() + f"&tls=true&tlsCAFile={wrong_ca}"
    run = c.run("pre-taste", env={"MONGODB_URI": uri})
    c.check(run.seconds < 15, f"a certificate that cannot be trusted took {run.seconds:.1f}s: waiting cannot help")
    c.failed_closed(run, 3, "TLS", "tlsCAFile")


@case("MongoDB", "TLS with the right CA", "survive: exact counts over TLS")
def tls_right_ca(c: Ctx) -> None:
    app = c.app(seed=False)
    ca, ca_key = tlsgen.make_ca(c.work / "mongo-ca", name="the server's CA")
    cert, key = tlsgen.make_server(c.work / "mongo-ca", "mongo", ca, ca_key)
    mongo = c.mongo(tls=(cert, key), tls_ca=ca)
    mongo.provision(app)
    mongo.start()
    run = c.run("pre-taste", env={"MONGODB_URI": mongo.uri() + f"&tls=true&tlsCAFile={ca}"})
    exact(c, "/pre.json")
    c.survived(run)


@case("MongoDB", "orders lost in the sync", "exit 1: FAIL verdict naming the check; replicas put back")
def orders_lost(c: Ctx) -> None:
    app = c.app()
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    c.admin_db()[app.orders].delete_many({"n": {"$in": [3, 4, 5]}})
    post = c.run("post-taste")
    c.check(post.termination_log.startswith("taster: FAIL"), "no FAIL summary")
    verdicts = [json.loads(body) for key, body in app.objects().items() if key.endswith("verdict.json")]
    c.check(len(verdicts) == 1 and verdicts[0]["result"] == "fail", "the stored verdict is not a fail")
    c.mentions(post, app.orders)
    c.survived(post, code=1)


@case("MongoDB", "a collection dropped in the sync", "exit 1: FAIL, the collection reported missing, never counted as 0")
def collection_dropped(c: Ctx) -> None:
    app = c.app()
    pre = c.run("pre-taste")
    c.check(pre.returncode == 0, f"the pre-taste that sets the scene failed: {pre.stderr[-300:]}")
    c.admin_db().drop_collection(app.registrations)
    post = c.run("post-taste")
    c.check("missing" in (post.stdout + post.stderr + post.termination_log).lower(), "the vanished collection is not called missing")
    c.survived(post, code=1)
