#!/usr/bin/env bash
# The demo, run by `make demo` inside scripts/with-stack.sh (the local stack is up and its
# addresses and credentials are exported): the Portworx BBQ staging story of the original
# article, with taster as the PreSync and PostSync hooks. DEMO_DB=postgres (`make demo
# DB=postgres`) plays the same two rounds on a PostgreSQL version of the data.
set -uo pipefail
cd "$(dirname "$0")/.."
taster=${TASTER_BINARY:-.build/debug/taster}
kubectl="$TESTENV_BIN/kubectl"
python="$TESTENV_PYTHON"
db=${DEMO_DB:-mongo}
case "$db" in mongo | postgres) ;; *) echo "demo: DB=$db: use DB=mongo or DB=postgres" >&2; exit 2 ;; esac
out=${DEMO_OUT:-demo-output}
mkdir -p "$out"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { echo "demo: $*" >&2; exit 1; }

# How the hook Jobs are configured (their ConfigMap and Secret): the stack's addresses and
# credentials are already exported; these are the rest.
export TASTER_WORKLOADS=statefulset/mongo=1,deployment/pxbbq-web=1
export TASTER_NAMESPACE=pxbbq
export TASTER_APP=pxbbq
export TASTER_READY_TIMEOUT=1m
export TASTER_DEADLINE=5m
if [ "$db" = postgres ]; then
  # The app keeps its data in PostgreSQL: DATABASE_URL chooses the engine (no MONGODB_URI).
  unset MONGODB_URI TASTER_DATABASE
  export DATABASE_URL="$TESTENV_PG_URL"
  export TASTER_WORKLOADS=deployment/pxbbq-web=1
fi

step "taster $("$taster" --version): the settings it sees (secrets masked)"
"$taster" check --show-settings

step "the staging app: a pxbbq database with orders and registrations, and its workloads at 0 replicas"
if [ "$db" = postgres ]; then
"$python" - <<'PY' || fail "could not seed PostgreSQL"
import os, random
import pgserver
random.seed(7)
menu = ["brisket", "pulled pork", "ribs", "burnt ends", "mac and cheese"]
orders = ",\n".join(f"({i}, '{random.choice(menu)}', {random.randint(1, 4)}, {random.uniform(8, 60):.2f}, "
                    f"'{random.choice(['paid', 'paid', 'paid', 'open'])}')" for i in range(1, 1201))
registrations = ",\n".join(f"({i}, 'guest{i}@example.com', '{random.choice(['free', 'pitmaster'])}')" for i in range(1, 251))
print(pgserver.psql(os.environ["TESTENV_PG_ADMIN_URL"], f"""
DROP TABLE IF EXISTS orders, registrations;
CREATE TABLE orders (id bigint PRIMARY KEY, item text NOT NULL, qty int NOT NULL, total numeric(10, 2) NOT NULL,
                     status text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE registrations (id bigint PRIMARY KEY, email text NOT NULL, plan text NOT NULL,
                            CONSTRAINT registrations_email_key UNIQUE (email));  -- one registration per guest
INSERT INTO orders (id, item, qty, total, status) VALUES {orders};
INSERT INTO registrations VALUES {registrations};
ANALYZE orders, registrations;
SELECT 'seeded pxbbq (PostgreSQL): ' || (SELECT count(*) FROM orders) || ' orders, '
       || (SELECT count(*) FROM registrations) || ' registrations';
""").stdout.strip())
PY
else
"$python" - <<'PY'
import os, random
import pymongo
from bson.decimal128 import Decimal128
db = pymongo.MongoClient(os.environ["TESTENV_MONGO_ADMIN_URI"])["pxbbq"]
db.orders.drop(); db.registrations.drop()
random.seed(7)
menu = ["brisket", "pulled pork", "ribs", "burnt ends", "mac and cheese"]
db.orders.insert_many([{"item": random.choice(menu), "qty": random.randint(1, 4), "total": Decimal128(f"{random.uniform(8, 60):.2f}"),
                        "status": random.choice(["paid", "paid", "paid", "open"])} for _ in range(1200)])
db.registrations.insert_many([{"email": f"guest{i}@example.com", "plan": random.choice(["free", "pitmaster"])} for i in range(250)])
db.registrations.create_index("email", unique=True)  # one registration per guest
print(f"seeded pxbbq: {db.orders.count_documents({})} orders, {db.registrations.count_documents({})} registrations")
PY
fi
"$python" -c "
from kubeemu.control import Control
control = Control.from_env()
control.seed_demo()
control.settings(readyDelaySeconds=1.5)
" || fail "could not seed the Kubernetes API emulator"
"$kubectl" get statefulset,deployment -n pxbbq

if [ "$db" = postgres ]; then
cat > "$out/checks.yaml" <<'YAML'
checks:
  - name: paid-orders
    kind: count
    table: orders
    where: status = 'paid'
    rule: no-decrease
    evidence: documents   # keep the primary keys, so a verdict names the orders lost
  - name: revenue
    kind: sum
    table: orders
    column: total     # numeric: summed exactly
  - name: orders-fingerprint
    kind: fingerprint
    table: orders
    columns: [item, qty, total, status]
YAML
else
cat > "$out/checks.yaml" <<'YAML'
checks:
  - name: paid-orders
    kind: count
    collection: orders
    filter: {status: paid}
    rule: no-decrease
    evidence: documents   # keep the _ids, so a verdict names the orders lost
  - name: revenue
    kind: sum
    collection: orders
    field: total      # Decimal128: summed exactly
  - name: orders-fingerprint
    kind: fingerprint
    collection: orders
    fields: [item, qty, total, status]
YAML
fi
export TASTER_CHECKS="$out/checks.yaml"

round() {
  local name=$1 upgrade=$2
  step "$name: PreSync hook — taster pre-taste"
  "$taster" pre-taste || fail "pre-taste failed"
  "$kubectl" get statefulset,deployment -n pxbbq
  step "$name: the sync — $upgrade"
  "$upgrade"
  step "$name: PostSync hook — taster post-taste"
  "$taster" post-taste
  local code=$?
  echo "(post-taste exit code $code)"
  "$kubectl" get statefulset,deployment -n pxbbq
  return $code
}

upgrade_keeps_data() {
  "$kubectl" set image deployment/pxbbq-web -n pxbbq pxbbq-web=eshanks16/pxbbq:v4.5.0 && "$kubectl" rollout status deployment/pxbbq-web -n pxbbq --timeout=60s
}

upgrade_loses_orders() {
  "$kubectl" set image deployment/pxbbq-web -n pxbbq pxbbq-web=eshanks16/pxbbq:v4.6.0 && "$kubectl" rollout status deployment/pxbbq-web -n pxbbq --timeout=60s
  if [ "$db" = postgres ]; then
    DEMO_OUT="$out" "$python" - <<'PY'
import os, pgserver
gone = pgserver.psql(os.environ["TESTENV_PG_ADMIN_URL"], """
DELETE FROM orders WHERE id IN (SELECT id FROM orders WHERE status = 'paid' ORDER BY id LIMIT 3) RETURNING id;
""").stdout.split()
pgserver.psql(os.environ["TESTENV_PG_ADMIN_URL"], "ALTER TABLE registrations DROP CONSTRAINT registrations_email_key")
gone = sorted(gone, key=int)
print(f"the v4.6.0 migration lost {len(gone)} paid orders: id {', '.join(gone)}")
with open(os.path.join(os.environ["DEMO_OUT"], "lost-ids"), "w") as lost:
    lost.write("\n".join(gone) + "\n")
print("and dropped the unique constraint registrations_email_key (nobody listed it: the inventory catches it)")
PY
    return
  fi
  "$python" - <<'PY'
import os, pymongo
db = pymongo.MongoClient(os.environ["TESTENV_MONGO_ADMIN_URI"])["pxbbq"]
from bson.decimal128 import Decimal128
gone = [doc["_id"] for doc in db.orders.find({"status": "paid"}).limit(3)]
db.orders.delete_many({"_id": {"$in": gone}})
rounded = db.orders.find_one({"status": "open"})
db.orders.update_one({"_id": rounded["_id"]}, {"$set": {"total": Decimal128(str(round(rounded["total"].to_decimal())))}})
print(f"the v4.6.0 migration lost {len(gone)} paid orders: {', '.join(str(i) for i in gone)}")
print(f"and rounded the total of order {rounded['_id']}")
db.registrations.drop_index("email_1")
print("and dropped the unique index registrations.email_1 (nobody listed it: the inventory catches it)")
PY
}

round "round 1 (pxbbq v4.5.0)" upgrade_keeps_data
first=$?
[ $first -eq 0 ] || fail "round 1 should pass (exit $first)"
sleep 1  # run ids are UTC seconds
round "round 2 (pxbbq v4.6.0)" upgrade_loses_orders
second=$?
[ $second -eq 1 ] || fail "round 2 should fail with exit 1 (exit $second)"

step "the reports in s3://$TASTER_BUCKET/taster/pxbbq/pxbbq/"
"$python" - "$out" <<'PY'
import os, sys, boto3
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
bucket = os.environ["TASTER_BUCKET"]
keys = [item["Key"] for item in s3.list_objects_v2(Bucket=bucket, Prefix="taster/pxbbq/pxbbq/").get("Contents", [])]
for key in keys:
    print(f"s3://{bucket}/{key}")
latest = sorted(k for k in keys if k.endswith("verdict.html"))[-1].rsplit("/", 1)[0]
for key in (k for k in keys if k.startswith(latest + "/")):
    # The reports, the document indexes and the lists of changed documents, as the page links them.
    path = os.path.join(sys.argv[1], key[len(latest) + 1:])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    s3.download_file(bucket, key, path)
print(f"\nthe latest verdict page: s3://{bucket}/{latest}/verdict.html")
print(f"saved with its reports in {sys.argv[1]}/: open {sys.argv[1]}/verdict.html in a browser")
PY
if [ "$db" = mongo ]; then
  grep -q '"subject" : "index registrations.email_1"' "$out/verdict.json" || fail "round 2's verdict should name the dropped unique index"
else
  grep -q '"subject" : "constraint public.registrations.registrations_email_key"' "$out/verdict.json" \
    || fail "round 2's verdict should name the dropped unique constraint"
  grep -q '"subject" : "index public.registrations.registrations_email_key"' "$out/verdict.json" \
    || fail "round 2's verdict should name the unique index that went with it"
  # The lost paid orders, named by primary key (bigint: {"$numberLong": "<id>"}).
  "$python" - "$out" <<'PY' || fail "round 2's verdict should name the 3 lost paid orders by primary key"
import json, os, sys
out = sys.argv[1]
verdict = json.load(open(os.path.join(out, "verdict.json")))
paid = next(c for c in verdict["checks"] if c["name"] == "paid-orders")["evidence"]
named = [d["_id"] for d in paid["lost"]["first"]]
expected = [json.dumps({"$numberLong": i}, separators=(",", ":")) for i in open(os.path.join(out, "lost-ids")).read().split()]
assert paid["lost"]["count"] == 3 and named == expected, (named, expected)
print(f"round 2's verdict names the lost paid orders: {', '.join(named)}")
PY
fi
step "done: round 1 passed, round 2 failed the sync as it should (exit codes $first and $second)"
