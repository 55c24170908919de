"""Long-lived responses: watches (chunked JSON lines of watch events) and pod logs (followed
as they grow). Each runs in its request's thread, wakes on store or log changes, and ends on the
client's timeout, the server's shutdown, or when the client hangs up."""
from __future__ import annotations

import json
import random
import time

from . import objects
from .selectors import SelectorError, fields_match, labels_match, parse_fields, parse_labels
from .store import Expired
from .tables import TABLE_MEDIA, table, wants_table
from . import pods as podlib

INITIAL_EVENTS_END = "k8s.io/initial-events-end"


def expired_status(message: str) -> dict:
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message,
            "reason": "Expired", "code": 410}


class StreamMixin:
    # -- watch ---------------------------------------------------------------------------------

    def watch_errors(self, query: dict) -> list[tuple[str, str, str]]:
        """ListOptions validation for a watch, as k8s.io/apimachinery's validateWatchOptions."""
        errors = []
        match = query.get("resourceVersionMatch", "")
        send = query.get("sendInitialEvents")
        if send is not None:
            if match != "NotOlderThan":
                errors.append(("resourceVersionMatch", "Forbidden",
                               "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
            if not self.emulator.settings.watch_list:
                errors.append(("sendInitialEvents", "Forbidden",
                               "sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled"))
        if match:
            if send is None:
                errors.append(("resourceVersionMatch", "Forbidden",
                               "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
            if match != "NotOlderThan":
                errors.append(("resourceVersionMatch", f'Unsupported value: "{match}"', 'supported values: "NotOlderThan"'))
            if query.get("continue"):
                errors.append(("resourceVersionMatch", "Forbidden", "resourceVersionMatch is forbidden when continue is provided"))
        return errors

    def watch(self, resource, ns: str, name: str, query: dict) -> None:
        errors = self.watch_errors(query)
        if errors:
            return self.list_invalid(errors)
        try:
            labels = parse_labels(query.get("labelSelector", ""))
            fields = parse_fields(query.get("fieldSelector", ""), resource.name)
        except SelectorError as error:
            return self.bad_request(str(error))
        if name:  # GET .../deployments/NAME?watch=1 watches that object only
            fields = fields + [("metadata.name", "=", (name,))]
        rv_text = query.get("resourceVersion", "")
        try:
            rv = int(rv_text) if rv_text else 0
        except ValueError:
            return self.bad_request(f'resourceVersion: Invalid value: "{rv_text}": must be a positive integer')
        send_initial = (query.get("sendInitialEvents") or "").lower() == "true"
        bookmarks = (query.get("allowWatchBookmarks") or "").lower() in ("true", "1")
        as_table = wants_table(self.headers.get("Accept", ""))
        include = query.get("includeObject", "Metadata")
        try:
            timeout = float(query["timeoutSeconds"]) if query.get("timeoutSeconds") else 1800 * (1 + random.random())
        except ValueError:
            return self.bad_request("timeoutSeconds must be a number")
        deadline = time.monotonic() + timeout
        fault = getattr(self, "fault", None)
        drop_after = int(fault.get("afterEvents", 0)) if fault and fault["action"] == "drop-watch" else None
        store = self.emulator.store
        settings = self.emulator.settings

        def matches(obj):
            if obj is None:
                return False
            meta = obj.get("metadata", {})
            if ns and meta.get("namespace") != ns:
                return False
            return labels_match(meta.get("labels"), labels) and fields_match(obj, fields)

        initial: list[tuple[str, dict]] = []
        expired = None
        with store.lock:
            if fault and fault["action"] == "expire-watch":
                expired = fault.get("message") or f"too old resource version: {rv} ({store.revision})"
            elif send_initial or rv_text in ("", "0"):
                items, last_rv = store.list(resource, ns or None)
                initial = [("ADDED", o) for o in items if matches(o)]
                if send_initial and rv > last_rv:
                    last_rv = rv
            else:
                last_rv = rv
                try:
                    store.events_since(rv)
                except Expired as error:
                    expired = str(error)
        sent = 0
        self.begin_chunked(TABLE_MEDIA if as_table else "application/json")

        def emit(kind: str, obj: dict) -> bool:
            """Writes one event; False when the connection is to be cut (drop-watch fault)."""
            nonlocal sent
            if drop_after is not None and sent >= drop_after:
                self.cut_connection()
                return False
            if as_table and kind in ("ADDED", "MODIFIED", "DELETED"):
                obj = table(resource.name, [obj], obj["metadata"].get("resourceVersion"), include)
            elif as_table and kind == "BOOKMARK":
                return True
            self.write_chunk(json.dumps({"type": kind, "object": obj}, separators=(",", ":")).encode() + b"\n")
            sent += 1
            return True

        def bookmark(revision: int, end_of_initial: bool = False) -> dict:
            meta = {"resourceVersion": str(revision), "creationTimestamp": None}
            if end_of_initial:
                meta["annotations"] = {INITIAL_EVENTS_END: "true"}
            return {"kind": resource.kind, "apiVersion": resource.group_version, "metadata": meta}

        if expired:
            emit("ERROR", expired_status(expired))
            return self.end_chunked()
        for kind, obj in initial:
            if not emit(kind, obj):
                return
        if send_initial and not emit("BOOKMARK", bookmark(last_rv, True)):
            return
        last_bookmark = time.monotonic()
        while True:
            now = time.monotonic()
            if now >= deadline or self.emulator.stopping.is_set():
                if bookmarks and not as_table:
                    emit("BOOKMARK", bookmark(last_rv))
                return self.end_chunked()
            pending = []
            with store.changed:
                try:
                    pending = store.events_since(last_rv)
                except Expired as error:
                    emit("ERROR", expired_status(str(error)))
                    return self.end_chunked()
                if not pending:
                    wait = min(1.0, deadline - now)
                    if bookmarks:
                        wait = min(wait, max(0.0, last_bookmark + settings.bookmark_interval - now))
                    store.changed.wait(max(wait, 0.001))
                    pending = store.events_since(last_rv) if last_rv >= store.compacted else []
                revision = store.revision
            for event in pending:
                last_rv = event.rv
                if event.resource is not resource:
                    continue
                now_matches, was_matching = matches(event.obj), matches(event.old)
                if event.type == "ADDED" and now_matches:
                    kind = "ADDED"
                elif event.type == "DELETED" and (now_matches or was_matching):
                    kind = "DELETED"
                elif event.type == "MODIFIED" and now_matches:
                    kind = "MODIFIED" if was_matching else "ADDED"
                elif event.type == "MODIFIED" and was_matching:
                    kind = "DELETED"
                else:
                    continue
                if not emit(kind, event.obj):
                    return
            if not pending:
                if bookmarks and time.monotonic() - last_bookmark >= settings.bookmark_interval:
                    last_rv = max(last_rv, revision)
                    if not emit("BOOKMARK", bookmark(last_rv)):
                        return
                    last_bookmark = time.monotonic()
                if self.client_gone():
                    self.close_connection = True
                    return

    # -- pod logs ------------------------------------------------------------------------------

    def pod_log(self, ns: str, name: str, query: dict) -> None:
        from .controllers import PODS
        pod = self.emulator.store.find(PODS, ns, name)
        if pod is None:
            return self.not_found(PODS, name)
        containers = [c["name"] for c in pod["spec"].get("containers") or []]
        container = query.get("container") or ""
        if not container:
            if len(containers) != 1:
                return self.bad_request(f"a container name must be specified for pod {name}, choose one of: "
                                        f"[{' '.join(containers)}]")
            container = containers[0]
        if container not in containers:
            return self.bad_request(f"container {container} is not valid for pod {name}")
        status = next((c for c in (pod.get("status") or {}).get("containerStatuses") or [] if c["name"] == container), {})
        state = status.get("state") or {}
        previous = (query.get("previous") or "").lower() in ("true", "1")
        if previous:
            if not (status.get("lastState") or {}).get("terminated"):
                return self.bad_request(f'previous terminated container "{container}" in pod "{name}" not found')
        elif "waiting" in state and not (status.get("lastState") or {}).get("terminated"):
            reason = state["waiting"].get("reason", "ContainerCreating")
            if reason in ("ImagePullBackOff", "ErrImagePull"):
                reason = "trying and failing to pull image"
            return self.bad_request(f'container "{container}" in pod "{name}" is waiting to start: {reason}')
        elif not state:
            if podlib.phase(pod) == "Pending":
                return self.bad_request(f'container "{container}" in pod "{name}" is waiting to start: ContainerCreating')
        follow = (query.get("follow") or "").lower() in ("true", "1")
        timestamps = (query.get("timestamps") or "").lower() in ("true", "1")
        try:
            since = None
            if query.get("sinceTime"):
                since = objects.parse_time(query["sinceTime"])
            elif query.get("sinceSeconds"):
                since = time.time() - int(query["sinceSeconds"])
            tail = int(query["tailLines"]) if query.get("tailLines") else None
            limit = int(query["limitBytes"]) if query.get("limitBytes") else None
        except ValueError as error:
            return self.bad_request(f"invalid log options: {error}")
        logs = self.emulator.logs
        lines, finished = logs.read(ns, name, container)
        seen = len(lines)
        selected = [(at, text) for at, text in lines if since is None or at >= since]
        if tail is not None:
            selected = selected[-tail:] if tail > 0 else []
        self.begin_chunked("text/plain")
        written = 0

        def write(entries) -> bool:
            nonlocal written
            data = "".join((objects.rfc3339_nano(at) + " " if timestamps else "") + text + "\n" for at, text in entries).encode()
            if limit is not None:
                data = data[:max(0, limit - written)]
            self.write_chunk(data)
            written += len(data)
            return limit is None or written < limit

        if not write(selected) or not follow or finished or previous:
            return self.end_chunked()
        while not self.emulator.stopping.is_set():
            logs.wait(ns, name, container, seen, 1.0)
            lines, finished = logs.read(ns, name, container, seen)
            if lines:
                seen += len(lines)
                if not write([(at, text) for at, text in lines if since is None or at >= since]):
                    break
            if finished:
                break
            if self.emulator.store.find(PODS, ns, name) is None:
                break
            if not lines and self.client_gone():
                self.close_connection = True
                return
        self.end_chunked()
