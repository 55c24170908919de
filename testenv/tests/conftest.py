"""Fixtures for tests against the local stack (started by scripts/with-stack.sh)."""
from __future__ import annotations

import os
import sys
import uuid
from pathlib import Path

import pytest

TESTENV = Path(__file__).resolve().parent.parent
REPO = TESTENV.parent
sys.path.insert(0, str(TESTENV))


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
