"""Fixtures for tests against the local stack (started by scripts/with-stack.sh)."""
from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pymongo
import pytest
from bson.decimal128 import Decimal128

import harness
from kubeemu.control import Control


def need(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(f"{name} is not set: the local stack is not running (use `make test`, or `make stack-up` "
                    f"and `set -a; . testenv/.run/stack.env; set +a`)", pytrace=False)
    return value


@pytest.fixture(scope="session")
def stack() -> dict[str, str]:
    """Every variable the stack exported."""
    need("TESTENV_RUN")
    return dict(os.environ)


@pytest.fixture
def unique() -> str:
    return "t-" + uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
def kubectl(stack) -> str:
    return str(Path(stack["TESTENV_BIN"]) / "kubectl")


# -- the Kubernetes API emulator ---------------------------------------------------------------

@pytest.fixture(scope="session")
def emu(stack):
    """The emulator's control API (testenv/kubeemu/README.md)."""
    need("TESTENV_KUBE_ADMIN_TOKEN")
    from kubeemu.control import Control
    return Control.from_env(stack)


@pytest.fixture
def ns(emu, unique):
    """A fresh namespace, emptied (with the control API's settings for it) afterwards."""
    yield unique
    emu.reset(unique)


# -- a staging app of its own, for the workflow and results tests --------------------------------

WORKLOADS = "statefulset/mongo=1,deployment/pxbbq-web=1"


class App:
    """A staging app of its own: workloads at 0 replicas in a fresh namespace, two seeded
    collections, a report prefix; and every run remembered for the secret scan."""

    def __init__(self, stack, name, tmp_path):
        self.stack, self.name, self.tmp = stack, name, tmp_path
        self.control = Control.from_env()
        self.control.seed_demo(namespace=name)
        for kind, workload in (("statefulset", "mongo"), ("deployment", "pxbbq-web")):
            self.control.workload(name, kind, workload, readyDelaySeconds=0.2)
        self.db = pymongo.MongoClient(stack["TESTENV_MONGO_ADMIN_URI"])["pxbbq"]
        self.orders, self.registrations = self.db[f"{name}-orders"], self.db[f"{name}-registrations"]
        self.orders.insert_many([{"n": i, "status": "paid" if i % 4 else "open", "total": Decimal128(f"{i}.25")}
                                 for i in range(200)])
        self.registrations.insert_many([{"email": f"g{i}@example.com"} for i in range(40)])
        self.prefix = f"e2e/{name}"
        self.runs: list[harness.Run] = []
        # Secrets that are ordinary words this test also uses as data: kept in stored reports.
        self.data_words: set[str] = set()
        self.env = harness.base_env(
            stack, TASTER_NAMESPACE=name, TASTER_APP=name, TASTER_PREFIX=self.prefix,
            TASTER_COLLECTIONS=f"{self.orders.name},{self.registrations.name}", TASTER_WORKLOADS=WORKLOADS,
            TASTER_READY_TIMEOUT="30s", TASTER_MONGO_WAIT="20s", TASTER_DEADLINE="2m")

    def checks(self, text: str) -> None:
        path = self.tmp / "checks.yaml"
        path.write_text(text.replace("ORDERS", self.orders.name))
        self.env["TASTER_CHECKS"] = str(path)

    def run(self, *args, **options) -> harness.Run:
        env = dict(self.env)
        env.update(options.pop("env", {}))
        result = harness.run(list(args), env, tmp=self.tmp, **options)
        self.runs.append(result)
        return result

    def replicas(self) -> dict[str, int]:
        found = {}
        for kind, name in (("statefulsets", "mongo"), ("deployments", "pxbbq-web")):
            status, body, _ = self.control.kube("GET", f"/apis/apps/v1/namespaces/{self.name}/{kind}/{name}/scale")
            assert status == 200, body
            found[name] = body.get("spec", {}).get("replicas", 0)
        return found

    def objects(self) -> dict[str, bytes]:
        return harness.objects_under(self.stack, self.prefix + "/")

    def run_keys(self) -> list[str]:
        return sorted(self.objects())

    def verdict(self) -> dict:
        verdicts = [json.loads(body) for key, body in self.objects().items() if key.endswith("verdict.json")]
        assert len(verdicts) == 1, verdicts
        return verdicts[0]

    def scan(self) -> list[str]:
        hits = []
        every_secret: set[str] = set()
        for index, run in enumerate(self.runs):
            secrets = harness.secrets_of(run.env)
            assert secrets, "the scan must have secrets to look for"
            every_secret |= set(secrets)
            hits += harness.leaks({f"run {index} {run.args[0]} output": run.output}, secrets)
        hits += harness.leaks({f"s3 {key}": body for key, body in self.objects().items()}, sorted(every_secret),
                              data_words=self.data_words)
        return hits


@pytest.fixture
def app(stack, unique, tmp_path):
    application = App(stack, unique, tmp_path)
    yield application
    hits = application.scan()
    application.db.drop_collection(application.orders.name)
    application.db.drop_collection(application.registrations.name)
    application.control.reset(application.name)
    assert hits == [], f"secrets leaked: {hits}"
