"""Container logs as the kubelet would keep them: timestamped lines per (namespace, pod,
container), appended over time by the simulated controller, readable while they grow."""
from __future__ import annotations

import threading
import time


class ContainerLog:
    def __init__(self) -> None:
        self.lines: list[tuple[float, str]] = []
        self.finished = False  # the container terminated: followers stop after the last line


class Logs:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.logs: dict[tuple[str, str, str], ContainerLog] = {}
        self.stopping = False

    def _log(self, namespace: str, pod: str, container: str) -> ContainerLog:
        key = (namespace, pod, container)
        if key not in self.logs:
            self.logs[key] = ContainerLog()
        return self.logs[key]

    def append(self, namespace: str, pod: str, container: str, line: str, at: float | None = None) -> None:
        with self.lock:
            log = self._log(namespace, pod, container)
            for part in line.split("\n"):
                log.lines.append((time.time() if at is None else at, part))
            self.changed.notify_all()

    def finish(self, namespace: str, pod: str, container: str) -> None:
        with self.lock:
            self._log(namespace, pod, container).finished = True
            self.changed.notify_all()

    def restart(self, namespace: str, pod: str, container: str) -> None:
        """A pod of the same name was created again (a StatefulSet's pod): a fresh log."""
        with self.lock:
            self.logs[(namespace, pod, container)] = ContainerLog()
            self.changed.notify_all()

    def forget(self, namespace: str, pod: str) -> None:
        with self.lock:
            for key in [k for k in self.logs if k[0] == namespace and k[1] == pod]:
                del self.logs[key]
            self.changed.notify_all()

    def read(self, namespace: str, pod: str, container: str, start: int = 0) -> tuple[list[tuple[float, str]], bool]:
        """Lines from index start, and whether the container has finished."""
        with self.lock:
            log = self.logs.get((namespace, pod, container))
            if log is None:
                return [], False
            return log.lines[start:], log.finished

    def wait(self, namespace: str, pod: str, container: str, seen: int, timeout: float) -> None:
        """Returns when the log has more than `seen` lines, finished, was forgotten, or timeout passed."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while not self.stopping:
                log = self.logs.get((namespace, pod, container))
                if log is None or log.finished or len(log.lines) > seen:
                    return
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return
                self.changed.wait(remaining)

    def stop(self) -> None:
        with self.lock:
            self.stopping = True
            self.changed.notify_all()
