#!/usr/bin/env bash
# Runs a command with the local stack up: starts it, exports its addresses and credentials
# (testenv/.run/stack.env), runs the command, and stops the stack by PID whatever happens.
#
# A stack someone started in that folder (`make stack-up`, whose stack.env a shell may have
# sourced) is left alone: the command gets a stack of its own in a folder beside it, which is
# removed afterwards (kept, with its logs, when the command failed).
set -euo pipefail
cd "$(dirname "$0")/.."
python=.venv/bin/python
run=${TESTENV_RUN:-$PWD/testenv/.run}
own=
if [ -e "$run/pids.json" ]; then
  own=$(mktemp -d "${run%/}.XXXXXX")
  echo "with-stack: a stack already runs in $run (make stack-up); leaving it alone, starting another in $own" >&2
  run=$own
fi
export TESTENV_RUN=$run

stop() {
  local code=$?
  "$python" testenv/stack.py down --run "$run" || true
  if [ -n "$own" ]; then
    if [ $code -eq 0 ]; then rm -rf "$own"; else echo "with-stack: kept $own (its logs) after exit $code" >&2; fi
  fi
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
"$python" testenv/stack.py up --run "$run"
set -a
# shellcheck disable=SC1091
. "$run/stack.env"
set +a
"$@"
