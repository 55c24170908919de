"""Fault switches: the next N requests matching a method and a path answer with an error, are
delayed, lose their connection (before or after being applied), or (watches) are dropped after K events."""
from __future__ import annotations

import itertools
import re
import threading

ACTIONS = ("status", "drop-watch", "expire-watch", "close", "delay", "lose")


class FaultError(ValueError):
    pass


class Faults:
    """A fault is a dict:
      method      "PATCH", "GET", ... or "*" (default)
      path        a prefix of the URL path (no query), or
      pathRegex   a regular expression searched in path?query
      watch       true: only watch requests; false: only non-watch; absent: both
      count       how many requests it applies to (default 1; null = until cleared)
      action      "status" (default): answer `code` (409, 429, 500, 503, 410, 403, 404, 401, any)
                  "drop-watch": let a watch send `afterEvents` events, then cut the connection
                  "expire-watch": a watch answers 200 and an ERROR event with a 410 Expired Status
                  "close": close the connection without answering
                  "delay": wait `seconds`, then answer normally
                  "lose": apply the request as usual, then close the connection without its
                          answer (a write the API server applied whose answer never came back)
      code, retryAfter (seconds, for 429/503), message (overrides the default), afterEvents, seconds
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.ids = itertools.count(1)
        self.items: list[dict] = []

    def add(self, fault: dict) -> dict:
        fault = dict(fault)
        fault.setdefault("method", "*")
        fault.setdefault("action", "status")
        fault.setdefault("count", 1)
        if fault["action"] not in ACTIONS:
            raise FaultError(f"unknown action {fault['action']!r}; one of {', '.join(ACTIONS)}")
        if fault["action"] == "status" and not isinstance(fault.get("code"), int):
            raise FaultError("a status fault needs an integer code")
        if "path" not in fault and "pathRegex" not in fault:
            raise FaultError("a fault needs path (a prefix) or pathRegex")
        if "pathRegex" in fault:
            try:
                re.compile(fault["pathRegex"])
            except re.error as error:
                raise FaultError(f"bad pathRegex: {error}") from None
        fault["method"] = fault["method"].upper()
        fault["hits"] = 0
        with self.lock:
            fault["id"] = next(self.ids)
            self.items.append(fault)
        return dict(fault)

    def take(self, method: str, path: str, query: str, watch: bool) -> dict | None:
        """The first fault matching this request, counted as used."""
        with self.lock:
            for fault in self.items:
                if fault["method"] not in ("*", method):
                    continue
                if "watch" in fault and bool(fault["watch"]) != watch:
                    continue
                if "path" in fault and not path.startswith(fault["path"]):
                    continue
                if "pathRegex" in fault and not re.search(fault["pathRegex"], path + ("?" + query if query else "")):
                    continue
                fault["hits"] += 1
                if fault["count"] is not None:
                    fault["count"] -= 1
                    if fault["count"] <= 0:
                        self.items.remove(fault)
                return dict(fault)
        return None

    def list(self) -> list[dict]:
        with self.lock:
            return [dict(f) for f in self.items]

    def remove(self, fault_id: int) -> bool:
        with self.lock:
            for fault in self.items:
                if fault["id"] == fault_id:
                    self.items.remove(fault)
                    return True
        return False

    def clear(self) -> None:
        with self.lock:
            self.items.clear()
