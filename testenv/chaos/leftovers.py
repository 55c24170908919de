"""What taster may leave on the machine, looked for after every sync of the soak and at its end:
spool files in the TMPDIR its runs were given, `/dev/shm/mongoc-<pid>` entries of its runs
(libmongoc's, which taster removes), and processes — a taster still running, or any child of the
soak's still alive."""
from __future__ import annotations

import os
import threading
from pathlib import Path


class Leftovers:
    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.found: list[str] = []
        self.pids: set[int] = set()
        # Filled by the soak: secret hits, and (objects, runs, secrets) scanned per app.
        self.secrets: list[str] = []
        self.scanned: list[tuple[int, int, int]] = []
        self._lock = threading.Lock()

    def spool_dir(self, name: str) -> Path:
        """An empty TMPDIR for one app's runs."""
        path = self.root / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def note(self, what: str) -> None:
        with self._lock:
            self.found.append(what)

    def ran(self, pid: int | None) -> None:
        if pid is not None:
            with self._lock:
                self.pids.add(pid)

    def check_spool(self, path: Path, sync) -> None:
        """After a sync (every run of it has exited): its TMPDIR must be empty. What is there is
        noted, then removed so the next sync is judged on its own."""
        for entry in sorted(path.iterdir()):
            self.note(f"sync {sync.number}: {entry.name} left in TMPDIR ({entry.stat().st_size} bytes)")
            try:
                entry.unlink()
            except OSError:
                pass

    def final_check(self, binary: Path) -> list[str]:
        """Everything left behind: what was noted, /dev/shm entries of the soak's runs, a taster
        still running, a child of the soak still alive."""
        found = list(self.found)
        for pid in sorted(self.pids):
            entry = Path(f"/dev/shm/mongoc-{pid}")
            if entry.exists():
                found.append(f"{entry} (a run of taster) is still there")
        target = os.path.realpath(binary)
        me = os.getpid()
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit():
                continue
            try:
                exe = os.path.realpath(proc / "exe")
                stat = (proc / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            state = stat.rsplit(")", 1)[1].split()[0]
            if exe == target and state != "Z":
                found.append(f"taster is still running: pid {proc.name}")
            elif ppid == me and state != "Z":
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:120]
                found.append(f"a process the soak started is still running: pid {proc.name} {command}")
        return found
