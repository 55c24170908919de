#!/usr/bin/env bash
# How fast taster's readiness wait returns after the Kubernetes API emulator marks a Deployment
# ready, next to `kubectl rollout status` on the same emulator in the same run. Not a test: it
# prints both measurements (p50/max in ms). TRIES sets taster's tries (default 20).
set -euo pipefail
cd "$(dirname "$0")/.."
run=$(mktemp -d)
trap 'rm -rf "$run"' EXIT
swift build --build-tests >/dev/null
TESTENV_RUN=$run scripts/with-stack.sh bash -c '
  TASTER_REACTION_TRIES='"${TRIES:-20}"' swift test --skip-build --filter "WorkloadControlTests/reactionTime" >/dev/null
  .venv/bin/python -m pytest -q -p no:cacheprovider testenv/tests/test_kubectl_reaction.py >/dev/null
  echo "taster (watch-driven wait):"; cat "$TESTENV_RUN/taster-readiness-reaction.json"; echo
  echo "kubectl rollout status:"; cat "$TESTENV_RUN/kubectl-rollout-reaction.json"; echo'
