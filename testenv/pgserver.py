"""PostgreSQL 15 for the local stack: Debian's `postgresql-15`, never a mock.

The server runs on 127.0.0.1 and a free port with SCRAM authentication and TLS (a certificate of
the stack's private CA); no Unix socket. It never runs as root: when the stack is started by root
(CI), initdb and postgres run as Debian's `postgres` system user, which the package creates.

Roles: an admin (superuser, for provisioning and tests) and `taster`, a read-only role
(`pg_read_all_data`) whose password holds characters that must be escaped in a URI.
"""
from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import urllib.parse
from pathlib import Path

PG_BIN = Path(os.environ.get("TESTENV_PG_BIN", "/usr/lib/postgresql/15/bin"))
HOST = "127.0.0.1"
ADMIN = "taster_admin"
READER = "taster"


def run_as() -> str | None:
    """The user the server runs as: None (ourselves) unless we are root."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam("postgres")
    except KeyError as error:
        raise RuntimeError("running as root and there is no `postgres` user to run PostgreSQL as; "
                           "install postgresql-15 (make stack-up does) or run the stack as a normal user") from error
    return "postgres"


def _own(path: Path, user: str | None) -> None:
    if user:
        entry = pwd.getpwnam(user)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def data_dir(run: Path) -> Path:
    """A folder for the cluster that the server's user can reach: under /tmp, not under the run
    folder, whose parents (a clone in /root, pytest's 0700 tmp_path) the `postgres` user may not
    traverse. Its path is kept in <run>/pg-data, so `remove_data` finds it."""
    import tempfile
    remove_data(run)
    data = Path(tempfile.mkdtemp(prefix="taster-pg-"))
    (run / "pg-data").write_text(str(data))
    return data


def remove_data(run: Path) -> None:
    marker = run / "pg-data"
    if marker.exists():
        path = Path(marker.read_text().strip())
        if path.name.startswith("taster-pg-"):
            shutil.rmtree(path, ignore_errors=True)
        marker.unlink()


def init(data: Path, admin_password: str, cert: Path, key: Path) -> None:
    """initdb with SCRAM for TCP, the admin's password, and the server's certificate and key."""
    if not (PG_BIN / "initdb").exists():
        raise RuntimeError(f"{PG_BIN}/initdb not found: install postgresql-15 (make stack-up does)")
    user = run_as()
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    data.chmod(0o700)
    _own(data, user)
    pwfile = data / "admin-password"
    pwfile.write_text(admin_password + "\n")
    pwfile.chmod(0o600)
    _own(pwfile, user)
    subprocess.run([str(PG_BIN / "initdb"), "-D", str(data / "cluster"), "-U", ADMIN, "--pwfile", str(pwfile),
                    "--auth-host=scram-sha-256", "--auth-local=reject", "-E", "UTF8", "--locale=C.UTF-8"],
                   check=True, user=user, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    pwfile.unlink()
    for source, name in ((cert, "server.crt"), (key, "server.key")):
        target = data / "cluster" / name
        shutil.copyfile(source, target)
        target.chmod(0o600)
        _own(target, user)


def start(data: Path, port: int, log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(log_path, "ab")
    args = [str(PG_BIN / "postgres"), "-D", str(data / "cluster"), "-p", str(port),
            "-c", f"listen_addresses={HOST}", "-c", "unix_socket_directories=",
            "-c", "ssl=on", "-c", "ssl_cert_file=server.crt", "-c", "ssl_key_file=server.key",
            "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
            "-c", "shared_buffers=32MB", "-c", "max_connections=60", "-c", "password_encryption=scram-sha-256"]
    return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, user=run_as())


def url(user: str, password: str, port: int, database: str, query: str = "sslmode=disable") -> str:
    quoted = urllib.parse.quote(password, safe="")
    return f"postgresql://{user}:{quoted}@{HOST}:{port}/{database}" + (f"?{query}" if query else "")


def psql(admin_url: str, sql: str, *, database_url: str | None = None, variables: dict | None = None,
         check: bool = True) -> subprocess.CompletedProcess:
    """Runs SQL with psql as the admin; `variables` are psql variables (`:'name'` quotes them)."""
    args = [str(PG_BIN / "psql"), database_url or admin_url, "-v", "ON_ERROR_STOP=1", "-X", "-q", "-A", "-t"]
    for name, value in (variables or {}).items():
        args += ["-v", f"{name}={value}"]
    return subprocess.run(args, input=sql, text=True, capture_output=True, check=check,
                          env={**os.environ, "PGCONNECT_TIMEOUT": "5"})


def ready(admin_url: str) -> bool:
    return psql(admin_url, "SELECT 1", check=False).returncode == 0


def provision(admin_url: str, database: str, reader_password: str) -> None:
    """The database and the read-only role `taster` (pg_read_all_data)."""
    psql(admin_url, f'CREATE DATABASE "{database}"')
    psql(admin_url, f"CREATE ROLE {READER} LOGIN PASSWORD :'pw'; GRANT pg_read_all_data TO {READER};",
         variables={"pw": reader_password})


def stop(pid: int, timeout: float = 15.0) -> None:
    """Fast shutdown (SIGINT): SIGTERM would wait for every client to disconnect."""
    import signal
    import time

    from stack import pid_alive, stop_pid
    try:
        os.kill(pid, signal.SIGINT)
    except ProcessLookupError:
        return
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    stop_pid(pid)
