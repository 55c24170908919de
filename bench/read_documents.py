"""What taster's document index is measured against: pymongo merely reading the documents a
fingerprint with an index reads — the same projection, in `_id` order, the same batch size —
and nothing else (no hashing, no writing). Usage: read_documents.py [--unsorted] DATABASE COLLECTION FIELD...
(--unsorted: in the server's natural order, as the plain fingerprint reads)."""
import os
import sys

import pymongo

args = sys.argv[1:]
unsorted = args[0] == "--unsorted"
database, collection, fields = args[unsorted], args[unsorted + 1], args[unsorted + 2:]
client = pymongo.MongoClient(os.environ["MONGODB_URI"])
cursor = client[database][collection].find({}, {field: 1 for field in fields}).batch_size(50_000)
if not unsorted:
    cursor = cursor.sort("_id", 1)
seen = sum(1 for _ in cursor)
print(seen)
