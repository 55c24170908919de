"""A bounded log of the requests the Kubernetes API side received, for tests to assert on
("no PATCH on scale happened", "the watch used fieldSelector and resourceVersion")."""
from __future__ import annotations

import collections
import itertools
import threading


class RequestLog:
    def __init__(self, size: int = 5000) -> None:
        self.lock = threading.Lock()
        self.entries: collections.deque[dict] = collections.deque(maxlen=size)
        self.seq = itertools.count(1)

    def add(self, entry: dict) -> dict:
        """Stores the entry (a dict the handler keeps filling in: status, durationMs)."""
        with self.lock:
            entry["seq"] = next(self.seq)
            self.entries.append(entry)
        return entry

    def last_seq(self) -> int:
        with self.lock:
            return self.entries[-1]["seq"] if self.entries else 0

    def query(self, since: int = 0, **filters) -> list[dict]:
        """Entries after seq `since` whose fields equal the filters given (None = any);
        `path` filters by prefix."""
        with self.lock:
            entries = [dict(e) for e in self.entries if e["seq"] > since]
        result = []
        for entry in entries:
            ok = True
            for key, value in filters.items():
                if value is None:
                    continue
                if key == "path":
                    ok = entry["path"].startswith(value)
                elif key == "method":
                    ok = entry["method"] == value.upper()
                elif key == "watch":
                    ok = entry.get("watch") == (str(value).lower() in ("1", "true", "yes"))
                else:
                    ok = str(entry.get(key) or "") == str(value)
                if not ok:
                    break
            if ok:
                result.append(entry)
        return result

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
