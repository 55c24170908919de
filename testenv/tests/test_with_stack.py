"""scripts/with-stack.sh, which `make demo`, `make test` and `make chaos` run in: a stack the user
started with `make stack-up` (and whose stack.env their shell sourced) keeps running, untouched,
and the command gets a stack of its own."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import stack as teststack

REPO = Path(__file__).resolve().parent.parent.parent
PYTHON = REPO / ".venv" / "bin" / "python"
PRINT_STACK = "import json, os; print(json.dumps({k: os.environ[k] for k in ('TESTENV_RUN', 'MONGODB_URI', 'AWS_ENDPOINT_URL', 'KUBECONFIG')}))"


def answers(values: dict) -> bool:
    """Every server of a stack answers with the credentials its stack.env holds."""
    return (teststack.mongo_ready(int(values["TESTENV_MONGO_PORT"]), uri=values["TESTENV_MONGO_ADMIN_URI"])
            and teststack.s3_ready(values["AWS_ENDPOINT_URL"], values["AWS_ACCESS_KEY_ID"], values["AWS_SECRET_ACCESS_KEY"],
                                   values["TASTER_BUCKET"])
            and teststack.kube_ready(values["TESTENV_KUBE_URL"], values["TESTENV_KUBE_TOKEN"], Path(values["TESTENV_CA"])))


def test_a_stack_started_by_make_stack_up_is_left_alone(tmp_path):
    user_run = tmp_path / "run"
    # `make stack-up` with the folder the user's shell exports (TESTENV_RUN comes with stack.env).
    subprocess.run([str(PYTHON), "testenv/stack.py", "up", "--run", str(user_run)], cwd=REPO, check=True,
                   capture_output=True, timeout=120)
    try:
        user = json.loads((user_run / "stack.json").read_text())
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TESTENV_", "AWS_", "MONGODB_", "TASTER_", "KUBE"))}
        env["TESTENV_RUN"] = str(user_run)
        inner = subprocess.run(["scripts/with-stack.sh", sys.executable, "-c", PRINT_STACK], cwd=REPO, env=env,
                               capture_output=True, text=True, timeout=180)
        assert inner.returncode == 0, inner.stderr
        seen = json.loads(inner.stdout.strip().splitlines()[-1])
        assert seen["TESTENV_RUN"] != str(user_run), "the command got a stack of its own"
        assert seen["MONGODB_URI"] != user["MONGODB_URI"] and seen["AWS_ENDPOINT_URL"] != user["AWS_ENDPOINT_URL"]
        assert "leaving it alone" in inner.stderr
        assert not Path(seen["TESTENV_RUN"]).exists(), "its own stack's folder is removed afterwards"

        assert answers(user), "the user's stack still answers at the addresses their stack.env holds"
        status = subprocess.run([str(PYTHON), "testenv/stack.py", "status", "--run", str(user_run)], cwd=REPO,
                                capture_output=True, text=True)
        assert status.returncode == 0, status.stdout
    finally:
        subprocess.run([str(PYTHON), "testenv/stack.py", "down", "--run", str(user_run)], cwd=REPO, capture_output=True)


def test_a_failed_command_keeps_its_stack_folder_for_the_logs(tmp_path):
    """A stack of its own beside one in use is kept when the command failed (its logs tell why),
    with its servers stopped."""
    user_run = tmp_path / "run"
    user_run.mkdir()
    (user_run / "pids.json").write_text("{}")  # a stack.py folder in use (no live process to disturb)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TESTENV_", "AWS_", "MONGODB_", "TASTER_", "KUBE"))}
    env["TESTENV_RUN"] = str(user_run)
    failed = subprocess.run(["scripts/with-stack.sh", "bash", "-c", 'echo "$TESTENV_RUN"; exit 7'], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=180)
    assert failed.returncode == 7, failed.stderr
    own = Path(failed.stdout.strip().splitlines()[-1])
    try:
        assert own != user_run and own.exists() and (own / "logs").is_dir()
        assert f"kept {own}" in failed.stderr
        assert not (own / "pids.json").exists(), "its servers were stopped"
    finally:
        subprocess.run(["rm", "-rf", str(own)])
