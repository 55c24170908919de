"""The emulator as a process: watches and followed logs of clients that hang up do not leave
threads behind, and SIGTERM stops it promptly even with streams open."""
from __future__ import annotations

import os
import signal
import socket
import ssl
import time
from pathlib import Path

import pytest

import stack as stacklib
from kube import Api, deployment, wait_for


@pytest.fixture
def private(stack, tmp_path):
    """An emulator of this test's own (the shared one must keep running)."""
    tls = Path(stack["TESTENV_RUN"]) / "tls"
    port = stacklib.free_port()
    tokens, admin = tmp_path / "tokens", tmp_path / "admin"
    tokens.write_text("private-token\n")
    admin.write_text("private-admin\n")
    process = stacklib.start_kube(port, tls / "kube.crt", tls / "kube.key", tokens, tmp_path / "kube.log",
                                  admin_token_file=admin, client_ca=tls / "ca.crt")
    url = f"https://127.0.0.1:{port}"
    try:
        stacklib.wait_until(lambda: stacklib.kube_ready(url, "private-token", tls / "ca.crt"), 30, "private emulator",
                            process, tmp_path / "kube.log")
        yield process, Api(dict(stack, TESTENV_KUBE_URL=url), token="private-token")
    finally:
        stacklib.stop_pid(process.pid)


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def open_stream(api: Api, path: str) -> ssl.SSLSocket:
    raw = socket.create_connection((api.host, api.port), timeout=5)
    sock = api.context.wrap_socket(raw, server_hostname=api.host)
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {api.host}\r\nAuthorization: Bearer {api.token}\r\n\r\n".encode())
    assert b"200 OK" in sock.recv(4096)
    return sock


def test_hung_up_streams_release_their_threads(private):
    process, api = private
    status, _, _ = api.request("POST", "/apis/apps/v1/namespaces/t/deployments", deployment("web", "t", replicas=1))
    assert status == 201
    pod = wait_for(lambda: next(iter(api.get("/api/v1/namespaces/t/pods")[1]["items"]), None))["metadata"]["name"]
    wait_for(lambda: api.get(f"/api/v1/namespaces/t/pods/{pod}")[1]["status"]["phase"] == "Running")
    time.sleep(0.3)
    baseline = threads(process.pid)
    streams = [open_stream(api, "/apis/apps/v1/namespaces/t/deployments?watch=1") for _ in range(4)]
    streams += [open_stream(api, f"/api/v1/namespaces/t/pods/{pod}/log?follow=true") for _ in range(2)]
    assert threads(process.pid) >= baseline + 6
    for sock in streams:
        sock.close()
    wait_for(lambda: threads(process.pid) <= baseline, timeout=5, what="stream threads ended")


def test_sigterm_stops_it_promptly_with_streams_open(private):
    process, api = private
    streams = [open_stream(api, "/apis/apps/v1/deployments?watch=1") for _ in range(3)]
    started = time.monotonic()
    os.kill(process.pid, signal.SIGTERM)
    process.wait(timeout=5)
    assert time.monotonic() - started < 2
    assert process.returncode == 0
    for sock in streams:
        sock.close()
