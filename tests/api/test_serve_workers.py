"""``kg serve --workers 2``: the workers end with their supervisor, even one killed with SIGKILL, so
that the port is free again within seconds (it stayed held by the orphaned workers: a restart failed
with "Address already in use"); no ``server`` banner."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kg import lifetime

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def can_bind(port: int) -> bool:
    """Whether a server could listen on ``port`` now (with SO_REUSEADDR, as uvicorn: connections
    left in TIME_WAIT do not count, a socket still listening does)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            sock.listen()
        except OSError:
            return False
        return True


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(c) for c in (task / "children").read_text().split()]
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_with_a_killed_supervisor(tmp_path):
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_STORE": "memory"}
    log = (tmp_path / "serve.log").open("w")
    supervisor = subprocess.Popen([sys.executable, "-m", "api.cli", "serve", "--workers", "2", "--port", str(port)],
                                  cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 180  # two workers each load the graph; slow on a busy machine
        while True:
            assert supervisor.poll() is None and time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/-/health", timeout=2) as r:
                    assert "server" not in r.headers
                    break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        workers = children(supervisor.pid)  # the two workers (and multiprocessing's resource tracker)
        assert len(workers) >= 2
        assert not can_bind(port)
        supervisor.send_signal(signal.SIGKILL)
        supervisor.wait()
        start = time.monotonic()
        while not can_bind(port):
            assert time.monotonic() - start < 10, "the workers still hold the port 10 s after the supervisor died"
            time.sleep(0.1)
        freed = time.monotonic() - start
        while any(alive(pid) for pid in workers):
            assert time.monotonic() - start < 15, "workers outlived their supervisor"
            time.sleep(0.1)
        print(f"port free {freed:.2f} s after the supervisor was killed")
    finally:
        with suppress(ProcessLookupError):
            os.killpg(supervisor.pid, signal.SIGKILL)  # whatever is left of this test's own process group
        supervisor.wait()
        log.close()


def test_a_child_ends_when_its_parent_is_killed(tmp_path):
    """The same guard, on its own: a grandchild arms it and its parent is SIGKILLed."""
    script = (
        "import os, sys, time\n"
        "from kg import lifetime\n"
        "parent = os.getpid()\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    lifetime.die_with_parent(parent)\n"
        "    time.sleep(60)\n"
        "    os._exit(0)\n"
        "print(pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        grandchild = int(proc.stdout.readline())
        time.sleep(0.3)
        assert alive(grandchild)
        proc.kill()
        proc.wait()
        start = time.monotonic()
        while alive(grandchild):
            assert time.monotonic() - start < 3, "the child outlived its parent"
            time.sleep(0.05)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert lifetime.PR_SET_PDEATHSIG == 1
