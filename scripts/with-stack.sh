#!/usr/bin/env bash
# Runs a command with the local stack up: starts it, exports its addresses and credentials
# (testenv/.run/stack.env), runs the command, and stops the stack by PID whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
run=${TESTENV_RUN:-$PWD/testenv/.run}
export TESTENV_RUN=$run

stop() { "$python" testenv/stack.py down --run "$run" || true; }
trap stop EXIT INT TERM
"$python" testenv/stack.py up --run "$run"
set -a
# shellcheck disable=SC1091
. "$run/stack.env"
set +a
"$@"
