#!/usr/bin/env python3
"""The local stack of real servers taster is tested against, all on 127.0.0.1.

    stack.py up       start SecantusDB (with auth), PostgreSQL 15 (SCRAM, TLS), SeaweedFS (S3) and the
                      Kubernetes API emulator
    stack.py down     stop them, by PID
    stack.py status   show what runs

`up` writes every address and credential to <run>/stack.env (shell syntax, sourced by `make` and
the demo) and a kubeconfig. Secrets are random on every start and include characters that must
be escaped, so tests notice leaks and escaping bugs. Nothing listens on anything but 127.0.0.1.

The functions here are also used by tests that need a server of their own (a database that
starts late, an S3 store that goes away).
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_RUN = HERE / ".run"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"

DATABASE = "pxbbq"
BUCKET = "taster-reports"


# -- small helpers -----------------------------------------------------------------------------

def log(message: str) -> None:
    print(f"stack: {message}", file=sys.stderr, flush=True)


def random_secret(length: int = 24, special: str = "") -> str:
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _ in range(length))
    return body[:6] + special + body[6:]


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((HOST, port))
        except OSError:
            return False
    return True


def free_port() -> int:
    """A port the kernel says is free now (below the ephemeral range is not guaranteed)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def free_port_block(count: int, grpc_offset: int = 10000) -> int:
    """A base port such that base..base+count-1 and each +grpc_offset are free (SeaweedFS's rule),
    chosen below Linux's ephemeral range so outgoing connections cannot take them."""
    for _ in range(200):
        base = 10000 + secrets.randbelow(9000)
        ports = [base + i for i in range(count)]
        if all(port_free(p) and port_free(p + grpc_offset) for p in ports):
            return base
    raise RuntimeError("no free block of ports for SeaweedFS")


def wait_until(check, timeout: float, what: str, process: subprocess.Popen | None = None, log_path: Path | None = None):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log_path.read_text()[-2000:] if log_path and log_path.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode} while starting:\n{tail}")
        try:
            result = check()
            if result:
                return result
        except Exception as error:  # noqa: BLE001 - any failure means "not yet"
            last = error
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not become ready within {timeout}s (last error: {last})")


def start_process(args: list[str], log_path: Path, env: dict | None = None) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(log_path, "ab")
    return subprocess.Popen(args, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True, env=env)


def stop_pid(pid: int, timeout: float = 10.0) -> None:
    """SIGTERM, wait for the process to exit (a restart on the same data must not race it),
    then SIGKILL."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return
    while pid_alive(pid):
        time.sleep(0.05)


def pid_alive(pid: int) -> bool:
    try:
        waited, _ = os.waitpid(pid, os.WNOHANG)  # reap our own children
        if waited == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie that is not ours still "exists"; treat it as gone.
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


# -- SecantusDB --------------------------------------------------------------------------------

def start_mongo(port: int, data: Path, log_path: Path, *, auth: bool = False, test_commands: bool = False,
                tls: tuple[Path, Path] | None = None, tls_ca: Path | None = None) -> subprocess.Popen:
    args = [str(BIN / "secantusd-py"), "--host", HOST, "--port", str(port), "--storage-path", str(data),
            "--log-level", "WARNING"]
    if auth:
        args.append("--auth")
    if test_commands:
        args.append("--enable-test-commands")
    if tls:
        args += ["--tls-cert-file", str(tls[0]), "--tls-key-file", str(tls[1])]
    if tls_ca:
        args += ["--tls-ca-file", str(tls_ca)]
    return start_process(args, log_path)


def mongo_ready(port: int, *, uri: str | None = None, tls_ca: Path | None = None) -> bool:
    import pymongo
    options = {"serverSelectionTimeoutMS": 300, "connectTimeoutMS": 300}
    if tls_ca:
        options.update(tls=True, tlsCAFile=str(tls_ca))
    client = pymongo.MongoClient(uri or f"mongodb://{HOST}:{port}/", **options)
    try:
        return client.admin.command("ping").get("ok") == 1
    finally:
        client.close()


def provision_mongo(port: int, users: list[dict]) -> None:
    """Creates users on a server running without --auth (SecantusDB's way, like mongod's)."""
    import pymongo
    client = pymongo.MongoClient(f"mongodb://{HOST}:{port}/", serverSelectionTimeoutMS=3000)
    try:
        for user in users:
            client.admin.command("createUser", user["user"], pwd=user["pwd"], roles=user["roles"],
                                 **({"mechanisms": user["mechanisms"]} if "mechanisms" in user else {}))
    finally:
        client.close()


def mongo_uri(user: str, password: str, port: int, extra: str = "") -> str:
    quote = lambda s: urllib.parse.quote(s, safe="")  # noqa: E731
    return f"mongodb://{quote(user)}:{quote(password)}@{HOST}:{port}/?authSource=admin{extra}"


# -- SeaweedFS ---------------------------------------------------------------------------------

def write_s3_identities(path: Path, identities: list[dict]) -> None:
    path.write_text(json.dumps({"identities": [
        {"name": i["name"], "credentials": [{"accessKey": i["access"], "secretKey": i["secret"]}], "actions": i["actions"]}
        for i in identities]}))
    path.chmod(0o600)


def start_seaweed(base: int, data: Path, config: Path, bucket: str, log_path: Path, *,
                  tls: tuple[Path, Path] | None = None, domain: str | None = None) -> subprocess.Popen:
    """`weed mini` with every port explicit (base..base+4, each also +10000 for gRPC) and its
    sockets inside data."""
    data.mkdir(parents=True, exist_ok=True)
    args = [str(BIN / "weed"), "mini", f"-dir={data}", f"-ip={HOST}", f"-ip.bind={HOST}",
            "-master.telemetry=false", "-admin.ui=false", "-webdav=false",
            "-s3.port.iceberg=0", "-s3.port.lance=0", f"-s3.config={config}", f"-bucket={bucket}",
            f"-master.port={base}", f"-volume.port={base + 1}", f"-filer.port={base + 2}",
            f"-s3.port={base + 3}", f"-admin.port={base + 4}",
            f"-filer.localSocket={data}/filer.sock", f"-s3.localSocket={data}/s3.sock"]
    if tls:
        args += [f"-s3.cert.file={tls[0]}", f"-s3.key.file={tls[1]}"]
    if domain:
        args.append(f"-s3.domainName={domain}")
    return start_process(args, log_path)


def s3_ready(endpoint: str, access: str, secret: str, bucket: str, ca: Path | None = None) -> bool:
    """Ready means a signed write and read of a probe object work (the volume server is up)."""
    import boto3
    from botocore.config import Config
    client = boto3.client("s3", endpoint_url=endpoint, aws_access_key_id=access, aws_secret_access_key=secret,
                          region_name="us-east-1", verify=str(ca) if ca else True,
                          config=Config(connect_timeout=1, read_timeout=2, retries={"max_attempts": 1}))
    client.put_object(Bucket=bucket, Key=".stack-probe", Body=b"ok")
    ok = client.get_object(Bucket=bucket, Key=".stack-probe")["Body"].read() == b"ok"
    client.delete_object(Bucket=bucket, Key=".stack-probe")
    return ok


# -- Kubernetes API emulator -------------------------------------------------------------------

KUBE_USER = f"system:serviceaccount:{DATABASE}:taster"


def start_kube(port: int, cert: Path, key: Path, token_file: Path, log_path: Path, extra: list[str] = (), *,
               admin_token_file: Path | None = None, client_ca: Path | None = None,
               user: str = KUBE_USER) -> subprocess.Popen:
    """The Kubernetes API emulator (kubeemu): tokens in token_file are `user`; the control API
    answers to the token in admin_token_file; client certificates signed by client_ca authenticate."""
    args = [sys.executable, "-m", "kubeemu", "--port", str(port), "--cert", str(cert), "--key", str(key),
            "--token-file", str(token_file), "--default-user", user]
    if admin_token_file:
        args += ["--admin-token-file", str(admin_token_file)]
    if client_ca:
        args += ["--client-ca", str(client_ca)]
    return start_process([*args, *extra], log_path)


def kube_ready(url: str, token: str, ca: Path) -> bool:
    import ssl
    import urllib.request
    context = ssl.create_default_context(cafile=str(ca))
    request = urllib.request.Request(url + "/version", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, context=context, timeout=1) as response:
        return response.status == 200


def write_kubeconfig(path: Path, server: str, ca: Path, token: str, namespace: str) -> None:
    ca_data = base64.b64encode(ca.read_bytes()).decode()
    # JSON is YAML: no YAML library needed to write it.
    path.write_text(json.dumps({
        "apiVersion": "v1", "kind": "Config", "current-context": "taster-test",
        "clusters": [{"name": "kubeemu", "cluster": {"server": server, "certificate-authority-data": ca_data}}],
        "users": [{"name": "taster", "user": {"token": token}}],
        "contexts": [{"name": "taster-test", "context": {"cluster": "kubeemu", "user": "taster", "namespace": namespace}}],
    }, indent=2))
    path.chmod(0o600)


# -- Prometheus: Debian's pushgateway and a prometheus that scrapes it ------------------------

PUSHGATEWAY = "/usr/bin/prometheus-pushgateway"
PROMETHEUS = "/usr/bin/prometheus"


def start_pushgateway(port: int, log_path: Path, extra: list[str] = ()) -> subprocess.Popen:
    """Debian's prometheus-pushgateway on 127.0.0.1:port, nothing persisted."""
    return start_process([PUSHGATEWAY, f"--web.listen-address={HOST}:{port}", *extra], log_path)


def start_prometheus(port: int, pushgateway: str, data: Path, log_path: Path, rule_files: list[Path] = (),
                     interval: str = "1s") -> subprocess.Popen:
    """Debian's prometheus on 127.0.0.1:port, scraping the pushgateway (`host:port`) every
    `interval` with honor_labels (the pushed job, app, namespace and phase are the series'
    labels) and evaluating `rule_files` as often."""
    data.mkdir(parents=True, exist_ok=True)
    config = data / "prometheus.yml"
    # JSON is YAML.
    config.write_text(json.dumps({
        "global": {"scrape_interval": interval, "evaluation_interval": interval},
        "rule_files": [str(p) for p in rule_files],
        "scrape_configs": [{"job_name": "pushgateway", "honor_labels": True,
                            "static_configs": [{"targets": [pushgateway]}]}],
    }))
    return start_process([PROMETHEUS, f"--config.file={config}", f"--storage.tsdb.path={data / 'tsdb'}",
                          f"--web.listen-address={HOST}:{port}"], log_path)


def http_ok(url: str) -> bool:
    import urllib.request
    with urllib.request.urlopen(url, timeout=1) as response:
        return response.status == 200


# -- moto: S3, IAM and STS with IAM enforced ----------------------------------------------------

# The actions made unsigned before IAM is enforced: create the admin user, its key, its policy.
MOTO_SETUP_ACTIONS = 3


def start_moto(port: int, log_path: Path, oidc_tokens: Path) -> subprocess.Popen:
    """moto's server with IAM enforced after the setup actions (testenv/motosts.py): every S3
    request must be signed by a key IAM knows, temporary ones included."""
    env = dict(os.environ, INITIAL_NO_AUTH_ACTION_COUNT=str(MOTO_SETUP_ACTIONS), TESTENV_OIDC_TOKENS=str(oidc_tokens))
    return start_process([sys.executable, "-m", "motosts", "-H", HOST, "-p", str(port)], log_path, env=env)


def moto_setup(endpoint: str, bucket: str) -> dict:
    """An admin user (its key signs the rest), a role `taster` that a web identity may assume and
    that may use S3, and the bucket. Returns the admin key and the role's ARN."""
    import boto3
    anonymous = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="AKIASETUP", aws_secret_access_key="setup")
    iam = boto3.client("iam", **anonymous)
    iam.create_user(UserName="admin")
    key = iam.create_access_key(UserName="admin")["AccessKey"]
    allow_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    iam.put_user_policy(UserName="admin", PolicyName="all", PolicyDocument=json.dumps(allow_all))
    admin = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id=key["AccessKeyId"],
                 aws_secret_access_key=key["SecretAccessKey"])
    iam = boto3.client("iam", **admin)
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.testenv"},
         "Action": "sts:AssumeRoleWithWebIdentity"},
        {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
    role = iam.create_role(RoleName="taster", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    s3_only = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}
    iam.put_role_policy(RoleName="taster", PolicyName="reports", PolicyDocument=json.dumps(s3_only))
    boto3.client("s3", **admin).create_bucket(Bucket=bucket)
    return {"access_key": key["AccessKeyId"], "secret_key": key["SecretAccessKey"], "role_arn": role["Arn"], "admin": admin}


# -- the whole stack ---------------------------------------------------------------------------

def shell_quote(value: str) -> str:
    return "'" + value.replace("'", "'\\''") + "'"


def up(run: Path) -> dict:
    import tlsgen

    if (run / "pids.json").exists():
        down(run)
    for sub in ("mongo", "s3", "kube", "tls", "logs"):
        path = run / sub
        if path.exists():
            subprocess.run(["rm", "-rf", str(path)], check=True)
    run.mkdir(parents=True, exist_ok=True)
    pids: dict[str, int] = {}
    started = time.monotonic()

    def remember(name: str, process: subprocess.Popen) -> None:
        pids[name] = process.pid
        (run / "pids.json").write_text(json.dumps(pids))

    try:
        tls = run / "tls"
        ca_cert, ca_key = tlsgen.make_ca(tls)
        kube_cert, kube_key = tlsgen.make_server(tls, "kube", ca_cert, ca_key)

        # SecantusDB: provision users without auth, then restart with --auth on the same data.
        mongo_port = free_port()
        admin_password = random_secret(20, "@:/")
        taster_password = random_secret(20, "@:/%?")
        mongo_log = run / "logs" / "mongo.log"
        process = start_mongo(mongo_port, run / "mongo", mongo_log)
        remember("mongo", process)
        wait_until(lambda: mongo_ready(mongo_port), 30, "SecantusDB", process, mongo_log)
        provision_mongo(mongo_port, [
            {"user": "admin", "pwd": admin_password, "roles": [{"role": "root", "db": "admin"}]},
            {"user": "taster", "pwd": taster_password, "roles": [{"role": "read", "db": DATABASE}]},
        ])
        stop_pid(process.pid)
        process = start_mongo(mongo_port, run / "mongo", mongo_log, auth=True)
        remember("mongo", process)
        admin_uri = mongo_uri("admin", admin_password, mongo_port)
        wait_until(lambda: mongo_ready(mongo_port, uri=admin_uri), 30, "SecantusDB (auth)", process, mongo_log)
        log(f"SecantusDB on {HOST}:{mongo_port} (auth) after {time.monotonic() - started:.1f}s")

        # PostgreSQL 15: SCRAM, TLS with the stack's CA, a read-only role with an awkward password.
        import pgserver
        pg_port = free_port()
        pg_admin_password = random_secret(20, "@:/")
        pg_password = random_secret(20, "@:/%?'\" ")
        pg_cert, pg_key = tlsgen.make_server(tls, "postgres", ca_cert, ca_key)
        pg_data = pgserver.data_dir(run)
        pgserver.init(pg_data, pg_admin_password, pg_cert, pg_key)
        pg_log = run / "logs" / "postgres.log"
        process = pgserver.start(pg_data, pg_port, pg_log)
        remember("postgres", process)
        pg_admin_url = pgserver.url(pgserver.ADMIN, pg_admin_password, pg_port, "postgres")
        wait_until(lambda: pgserver.ready(pg_admin_url), 30, "PostgreSQL", process, pg_log)
        pgserver.provision(pg_admin_url, DATABASE, pg_password)
        log(f"PostgreSQL on {HOST}:{pg_port} (SCRAM, TLS) after {time.monotonic() - started:.1f}s")

        # SeaweedFS with two identities: taster (read/write) and a read-only one.
        s3_base = free_port_block(5)
        access, secret = "TASTER" + random_secret(14).upper(), random_secret(32, "/+")
        read_access, read_secret = "READER" + random_secret(14).upper(), random_secret(32, "/+")
        identities = run / "s3-identities.json"
        write_s3_identities(identities, [
            {"name": "taster", "access": access, "secret": secret, "actions": ["Read", "Write", "List", "Tagging"]},
            {"name": "reader", "access": read_access, "secret": read_secret, "actions": ["Read", "List"]},
        ])
        s3_log = run / "logs" / "s3.log"
        process = start_seaweed(s3_base, run / "s3", identities, BUCKET, s3_log)
        remember("s3", process)
        s3_endpoint = f"http://{HOST}:{s3_base + 3}"
        wait_until(lambda: s3_ready(s3_endpoint, access, secret, BUCKET), 60, "SeaweedFS", process, s3_log)
        log(f"SeaweedFS S3 on {s3_endpoint} after {time.monotonic() - started:.1f}s")

        # Kubernetes API emulator over HTTPS with a bearer token.
        kube_port = free_port()
        token = random_secret(40)
        token_file = run / "kube" / "tokens"
        token_file.parent.mkdir(parents=True, exist_ok=True)
        token_file.write_text(token + "\n")
        admin_token = random_secret(40)
        admin_token_file = run / "kube" / "admin-token"
        admin_token_file.write_text(admin_token + "\n")
        admin_token_file.chmod(0o600)
        kube_log = run / "logs" / "kube.log"
        process = start_kube(kube_port, kube_cert, kube_key, token_file, kube_log,
                             admin_token_file=admin_token_file, client_ca=ca_cert)
        remember("kube", process)
        kube_url = f"https://{HOST}:{kube_port}"
        wait_until(lambda: kube_ready(kube_url, token, ca_cert), 30, "the Kubernetes API emulator", process, kube_log)
        kubeconfig = run / "kubeconfig"
        write_kubeconfig(kubeconfig, kube_url, ca_cert, token, DATABASE)
        log(f"Kubernetes API emulator on {kube_url} after {time.monotonic() - started:.1f}s")
    except BaseException:
        down(run)
        raise

    values = {
        # What taster reads (standard names).
        "MONGODB_URI": mongo_uri("taster", taster_password, mongo_port),
        "TASTER_DATABASE": DATABASE,
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_ACCESS_KEY_ID": access,
        "AWS_SECRET_ACCESS_KEY": secret,
        "AWS_REGION": "us-east-1",
        "TASTER_BUCKET": BUCKET,
        "KUBECONFIG": str(kubeconfig),
        # What tests and the demo need besides.
        "TESTENV_RUN": str(run),
        "TESTENV_BIN": str(BIN),
        "TESTENV_PYTHON": sys.executable,
        "TESTENV_DIR": str(HERE),
        "TESTENV_MONGO_PORT": str(mongo_port),
        "TESTENV_MONGO_ADMIN_URI": admin_uri,
        "TESTENV_MONGO_PASSWORD": taster_password,
        # PostgreSQL: not DATABASE_URL, which would choose PostgreSQL for every run.
        "TESTENV_PG_PORT": str(pg_port),
        "TESTENV_PG_URL": pgserver.url(pgserver.READER, pg_password, pg_port, DATABASE),
        "TESTENV_PG_PASSWORD": pg_password,
        "TESTENV_PG_ADMIN_URL": pgserver.url(pgserver.ADMIN, pg_admin_password, pg_port, DATABASE),
        "TESTENV_S3_READ_ACCESS_KEY_ID": read_access,
        "TESTENV_S3_READ_SECRET_ACCESS_KEY": read_secret,
        "TESTENV_KUBE_URL": kube_url,
        "TESTENV_KUBE_TOKEN": token,
        "TESTENV_KUBE_TOKEN_FILE": str(token_file),
        "TESTENV_KUBE_USER": KUBE_USER,
        "TESTENV_KUBE_ADMIN_TOKEN": admin_token,
        # kubectl's discovery cache stays inside the run folder, not in ~/.kube.
        "KUBECACHEDIR": str(run / "kubecache"),
        "TESTENV_CA": str(ca_cert),
        "TESTENV_CA_KEY": str(ca_key),
    }
    env_file = run / "stack.env"
    env_file.write_text("".join(f"export {k}={shell_quote(v)}\n" for k, v in values.items()))
    env_file.chmod(0o600)
    (run / "stack.json").write_text(json.dumps(values, indent=2))
    (run / "stack.json").chmod(0o600)
    log(f"up in {time.monotonic() - started:.1f}s; source {env_file}")
    return values


def down(run: Path) -> None:
    import pgserver
    pids_file = run / "pids.json"
    if not pids_file.exists():
        pgserver.remove_data(run)
        return
    pids = json.loads(pids_file.read_text())
    for name, pid in reversed(list(pids.items())):
        if name == "postgres":
            pgserver.stop(pid)
        else:
            stop_pid(pid)
        log(f"stopped {name} (pid {pid})")
    pids_file.unlink()
    pgserver.remove_data(run)


def status(run: Path) -> int:
    pids_file = run / "pids.json"
    if not pids_file.exists():
        print("stack: not running")
        return 1
    alive = True
    for name, pid in json.loads(pids_file.read_text()).items():
        state = "running" if pid_alive(pid) else "GONE"
        alive &= state == "running"
        print(f"{name:6} pid {pid:7} {state}")
    return 0 if alive else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["up", "down", "status"])
    parser.add_argument("--run", type=Path, default=Path(os.environ.get("TESTENV_RUN") or DEFAULT_RUN),
                        help="folder for data, logs, certificates and stack.env (default testenv/.run)")
    args = parser.parse_args()
    if args.command == "up":
        up(args.run.resolve())
        return 0
    if args.command == "down":
        down(args.run.resolve())
        return 0
    return status(args.run.resolve())


if __name__ == "__main__":
    sys.exit(main())
