"""What the original demo's job did, as the baseline taster is measured against: count the
orders and registrations with pymongo, then upload the result with the `minio` client.

    python bench/baseline_job.py DATABASE KEY [ORDERS REGISTRATIONS]

Reads MONGODB_URI, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, TASTER_BUCKET.
"""
import io
import json
import os
import sys
import time
import urllib.parse

import pymongo
from minio import Minio


def main() -> None:
    database, key = sys.argv[1], sys.argv[2]
    orders, registrations = (sys.argv[3], sys.argv[4]) if len(sys.argv) > 4 else ("orders", "registrations")
    client = pymongo.MongoClient(os.environ["MONGODB_URI"])
    db = client[database]
    result = {
        "time": time.time(),
        "orders": db[orders].count_documents({}),
        "registrations": db[registrations].count_documents({}),
    }
    endpoint = urllib.parse.urlsplit(os.environ["AWS_ENDPOINT_URL"])
    store = Minio(endpoint.netloc, access_key=os.environ["AWS_ACCESS_KEY_ID"],
                  secret_key=os.environ["AWS_SECRET_ACCESS_KEY"], secure=endpoint.scheme == "https",
                  region=os.environ.get("AWS_REGION", "us-east-1"))
    body = json.dumps(result).encode()
    store.put_object(os.environ["TASTER_BUCKET"], key, io.BytesIO(body), len(body), content_type="application/json")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
