#!/usr/bin/env bash
# The demo, run by `make demo` inside scripts/with-stack.sh (the local stack is up and its
# addresses and credentials are exported). It grows as taster's capabilities land.
set -euo pipefail
cd "$(dirname "$0")/.."
taster=.build/debug/taster
step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "taster --version"
"$taster" --version

step "the settings taster sees (secrets masked)"
TASTER_WORKLOADS=statefulset/mongo=1,deployment/pxbbq-web=1 "$taster" check --show-settings

step "the local stack answers"
"$TESTENV_BIN/kubectl" get namespaces
"$TESTENV_PYTHON" - <<'PY'
import os, boto3, pymongo
client = pymongo.MongoClient(os.environ["MONGODB_URI"], serverSelectionTimeoutMS=3000)
print("MongoDB:", client.server_info()["version"], "as the read-only user 'taster'")
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.head_bucket(Bucket=os.environ["TASTER_BUCKET"])
print("S3:", os.environ["AWS_ENDPOINT_URL"], "bucket", os.environ["TASTER_BUCKET"], "reachable")
PY

step "what has not landed yet says so (exit 2), never fakes output"
"$taster" pre-taste || echo "(exit $?)"
