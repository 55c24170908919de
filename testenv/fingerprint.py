"""taster's documented fingerprint (docs/checks.md, "The fingerprint's encoding"), computed
independently in Python: the sum modulo 2^256 of the SHA-256 of each document's canonical BSON —
`_id` and the top-level fields named, in that order. The witness the Swift tests and the
benchmark compare taster with."""
from __future__ import annotations

import hashlib

import bson
from bson import SON


def fingerprint(documents, fields):
    """(hex digest, document count) of `documents` (decoded with SON, so field order is kept)."""
    tops = ["_id"]
    for field in fields:
        top = field.split(".")[0]
        if top not in tops:
            tops.append(top)
    total = 0
    count = 0
    for document in documents:
        canonical = SON([(key, document[key]) for key in tops if key in document])
        total += int.from_bytes(hashlib.sha256(bson.encode(canonical)).digest(), "big")
        count += 1
    return "%064x" % (total % (1 << 256)), count
